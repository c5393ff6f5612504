package io.botsync.warehouse;

import io.botsync.model.CanonicalUser;
import io.botsync.model.Rejection;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;

/**
 * The {@code rejected_record} rows of a page's transaction: one row per bad record, known by its platform id or, when it
 * has none, by a hash of its payload. A record rejected again updates its row (the reason and payload of this time,
 * the run, the last time seen, one more in the count, open again if it had been resolved); a record that lands as a
 * user resolves its row, and so does a completed full scan that no longer finds the record bad. Rejections are few, so each is written on its own rather than in a dialect's upsert.
 */
final class Rejections {

    /** A rejected payload beyond this is cut: the reason matters, a megabyte of junk does not. */
    private static final int MAX_PAYLOAD = 65_536;
    private static final int MAX_KEY = 128;

    private static final String UPDATE = """
            UPDATE rejected_record SET run_id = ?, external_id = ?, reason = ?, payload = ?, last_seen = ?,
                seen_count = seen_count + 1, resolved_at = NULL
            WHERE source = ? AND record_key = ?""";
    private static final String INSERT = """
            INSERT INTO rejected_record (run_id, external_id, reason, payload, last_seen, source, record_key, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    private final Connection connection;
    private final OffsetDateTime now;

    Rejections(Connection connection, OffsetDateTime now) {
        this.connection = connection;
        this.now = now;
    }

    /** Stores a page's rejections; the source's single-flight lock keeps any other writer of its rows away. */
    void store(long runId, String source, Collection<Rejection> rejections) throws SQLException {
        if (rejections.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE);
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Rejection rejection : rejections) {
                String key = recordKey(rejection);
                bind(update, runId, rejection);
                update.setString(6, source);
                update.setString(7, key);
                if (update.executeUpdate() == 0) {
                    bind(insert, runId, rejection);
                    insert.setString(6, source);
                    insert.setString(7, key);
                    insert.setObject(8, now);
                    insert.executeUpdate();
                }
            }
        }
    }

    /**
     * Marks resolved the open rows of the page's users: their records landed. Most sources have no open row, which one
     * indexed look costs a page to learn; only then are the users looked up, in one batch.
     */
    void resolve(String source, Collection<CanonicalUser> landed) throws SQLException {
        if (landed.isEmpty() || !hasOpen(source)) {
            return;
        }
        try (PreparedStatement resolve = connection.prepareStatement(
                "UPDATE rejected_record SET resolved_at = ? WHERE source = ? AND record_key = ? AND resolved_at IS NULL")) {
            for (CanonicalUser user : landed) {
                resolve.setObject(1, now);
                resolve.setString(2, source);
                resolve.setString(3, user.externalId());
                resolve.addBatch();
            }
            resolve.executeBatch();
        }
    }

    /**
     * Ends a completed full scan: an open row it did not reject again is no longer a bad record (it landed, changed or
     * is gone), which is how the rows of records without an id, known only by their payload, get resolved too.
     */
    void resolveNotRejectedBy(long runId, String source) throws SQLException {
        try (PreparedStatement resolve = connection.prepareStatement(
                "UPDATE rejected_record SET resolved_at = ? WHERE source = ? AND resolved_at IS NULL AND run_id <> ?")) {
            resolve.setObject(1, now);
            resolve.setString(2, source);
            resolve.setLong(3, runId);
            resolve.executeUpdate();
        }
    }

    private boolean hasOpen(String source) throws SQLException {
        try (PreparedStatement open = connection.prepareStatement(
                "SELECT 1 FROM rejected_record WHERE source = ? AND resolved_at IS NULL FETCH FIRST 1 ROWS ONLY")) {
            open.setString(1, source);
            try (ResultSet rows = open.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void bind(PreparedStatement statement, long runId, Rejection rejection) throws SQLException {
        statement.setLong(1, runId);
        statement.setString(2, cut(rejection.externalId(), MAX_KEY));
        statement.setString(3, cut(rejection.reason(), 1000));
        statement.setString(4, cut(rejection.payload(), MAX_PAYLOAD));
        statement.setObject(5, now);
    }

    /**
     * The record's platform id; without one (or one too long to be a key), {@code sha256:} and the hash of what the
     * record is, its payload (secrets removed, so the hash gives none away) or else its reason.
     */
    static String recordKey(Rejection rejection) {
        String id = rejection.externalId();
        if (id != null && !id.isEmpty() && id.length() <= MAX_KEY) {
            return id;
        }
        String content = rejection.payload() != null ? rejection.payload() : rejection.reason();
        return "sha256:" + Digests.sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
