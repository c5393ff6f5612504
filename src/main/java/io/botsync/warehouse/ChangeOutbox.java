package io.botsync.warehouse;

import io.botsync.model.CanonicalUser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * The outbox side of a page transaction: a {@code user_change} row for every crm_user row its pages insert, update
 * or flag deleted, written in that same transaction. Before the first event the transaction locks
 * {@code user_change_writer} until it commits, so change ids are handed out in commit order and a push that has
 * read up to an id never sees a smaller one appear later.
 */
final class ChangeOutbox {

    private final Connection connection;
    private final OffsetDateTime now;
    private boolean locked;

    ChangeOutbox(Connection connection, OffsetDateTime now) {
        this.connection = connection;
        this.now = now;
    }

    /** One event per user just upserted: {@code inserted} for the ids in {@code added}, else {@code updated}. */
    void upserted(long runId, List<CanonicalUser> users, Set<String> added) throws SQLException {
        if (users.isEmpty()) {
            return;
        }
        lock();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO user_change (source, external_id, kind, content_hash, run_id, changed_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (CanonicalUser user : users) {
                insert.setString(1, user.source());
                insert.setString(2, user.externalId());
                insert.setString(3, added.contains(user.externalId()) ? "inserted" : "updated");
                insert.setString(4, user.contentHash());
                insert.setLong(5, runId);
                insert.setObject(6, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * One {@code deleted} event per user a completed full scan is about to flag: called just before the flagging
     * UPDATE, with the same condition, set-based (no ids travel through memory).
     *
     * @return how many users are about to be flagged
     */
    long flaggingDeleted(long runId, String source, ScanCoverage coverage) throws SQLException {
        lock();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO user_change (source, external_id, kind, content_hash, run_id, changed_at)"
                + " SELECT source, external_id, 'deleted', content_hash, ?, ? FROM crm_user"
                + " WHERE source = ? AND NOT deleted AND " + coverage.unseen() + " ORDER BY external_id")) {
            insert.setLong(1, runId);
            insert.setObject(2, now);
            insert.setString(3, source);
            coverage.bind(insert, 4);
            return insert.executeUpdate();
        }
    }

    void lock() throws SQLException {
        if (locked) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE user_change_writer SET written_at = ? WHERE id = 1")) {
            update.setObject(1, now);
            update.executeUpdate();
        }
        locked = true;
    }
}
