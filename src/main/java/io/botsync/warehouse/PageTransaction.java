package io.botsync.warehouse;

import io.botsync.model.CanonicalUser;
import io.botsync.model.Rejection;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements of one page's transaction, in order: read the stored hashes of the page's users (one query),
 * insert the new and update the changed (a batch each), store rejects ({@link Rejections}), remember the ids a full scan saw, flag the
 * unseen as deleted when the scan completes, add to the run's counts, store the cursor, and land the raw page; every
 * row changed in crm_user also gets its outbox event ({@link ChangeOutbox}). The caller commits. A rehearsal (dry run,
 * rolled back by the caller) skips every insert that would draw an identity value (rejects, run counts, the raw page,
 * outbox events), so even the sequences stay as they were.
 */
final class PageTransaction {

    private final Connection connection;
    private final Dialect dialect;
    private final OffsetDateTime now;
    private final boolean rehearsal;
    private final Double rehearsalShare;
    /** One for all the pages of the transaction, which so takes the outbox lock once; null in a rehearsal (no events). */
    private final ChangeOutbox outbox;
    /**
     * Every user the transaction's pages inserted, updated or flagged deleted, when someone is to be told at its end
     * (the contacts); null when nobody is: then no page spends anything on them.
     */
    private final Map<UserKey, UserChange> changedUsers;
    private final Rejections rejections;
    /** Whether the database orders ids as Java does, so that a page's id range can stand for its ids ({@link IdOrder}). */
    private final boolean idsInJavaOrder;

    /** @param tellsChanges whether to collect the users changed, for {@link #changedUsers()} */
    PageTransaction(Connection connection, Dialect dialect, boolean idsInJavaOrder, OffsetDateTime now, boolean tellsChanges) {
        this(connection, dialect, idsInJavaOrder, now, false, null, tellsChanges);
    }

    /**
     * A rehearsal.
     *
     * @param rehearsalShare the mass-delete gate of the run it rehearses (a real run keeps its gate in its sync_run
     *                       row, which a rehearsal does not write); null: no gate
     */
    PageTransaction(Connection connection, Dialect dialect, boolean idsInJavaOrder, OffsetDateTime now, Double rehearsalShare) {
        this(connection, dialect, idsInJavaOrder, now, true, rehearsalShare, false);
    }

    private PageTransaction(Connection connection, Dialect dialect, boolean idsInJavaOrder, OffsetDateTime now, boolean rehearsal,
                            Double rehearsalShare, boolean tellsChanges) {
        this.connection = connection;
        this.dialect = dialect;
        this.idsInJavaOrder = idsInJavaOrder;
        this.now = now;
        this.rehearsal = rehearsal;
        this.rehearsalShare = rehearsalShare;
        this.outbox = rehearsal ? null : new ChangeOutbox(connection, now);
        this.rejections = new Rejections(connection, now);
        this.changedUsers = tellsChanges ? new LinkedHashMap<>() : null;
    }

    PageCounts write(PageWrite page) throws SQLException {
        Map<String, CanonicalUser> users = lastOfEachId(page.users());
        Map<String, Stored> stored = storedState(page.source(), users.keySet());
        List<CanonicalUser> changed = new ArrayList<>();
        Set<String> added = new HashSet<>();
        long inserted = 0;
        for (CanonicalUser user : users.values()) {
            Stored before = stored.get(user.externalId());
            if (before == null) {
                inserted++;
                changed.add(user);
                added.add(user.externalId());
            } else if (page.rewrite() && before.keepsOver(user)) {
                continue; // counted unchanged: a replay or import never undoes a newer sync
            } else if (before.deleted() || !before.hash().equals(user.contentHash())) {
                changed.add(user);
            }
        }
        writeUsers(changed, added);
        if (!rehearsal) { // a rehearsal writes no rejected_record row: its ids would be drawn from the sequence
            rejections.store(page.runId(), page.source(), page.rejections());
            rejections.resolve(page.source(), users.values());
        }
        long deleted = 0;
        if (page.scan() != PageWrite.ScanStep.NONE) {
            Set<String> seen = seenIds(page);
            ScanCoverage coverage = ScanCoverage.of(connection, page.source());
            ScanCoverage covered = idsInJavaOrder ? coverage.cover(connection, page, seen) : null;
            if (covered == null) {
                covered = coverage.fallBack(connection, page.source());
                markSeen(page.source(), seen);
            }
            if (page.scan() == PageWrite.ScanStep.COMPLETES) {
                deleted = flagUnseenDeleted(page.runId(), page.source(), covered);
                if (!rehearsal) {
                    rejections.resolveNotRejectedBy(page.runId(), page.source());
                }
            }
        }
        PageCounts counts = new PageCounts(page.fetched(), inserted, changed.size() - inserted,
                users.size() - changed.size(), deleted, page.rejections().size());
        if (!rehearsal) {
            addToRun(page.runId(), counts);
            land(page);
        }
        if (!page.rewrite()) {
            storeCursor(page.source(), page.cursor());
        }
        if (outbox != null) {
            outbox.upserted(page.runId(), changed, added); // last: the outbox lock is held from here to the commit
        }
        if (changedUsers != null) {
            for (CanonicalUser user : changed) {
                UserKey key = new UserKey(user.source(), user.externalId());
                UserChange earlier = changedUsers.remove(key); // in the order of its last change
                changedUsers.put(key, new UserChange(key, user, added.contains(user.externalId())
                        || earlier != null && earlier.inserted()));
            }
        }
        return counts;
    }

    /** The users this transaction changed so far, in the order it changed them; empty unless it tells changes. */
    java.util.Collection<UserChange> changedUsers() {
        return changedUsers == null ? java.util.List.of() : changedUsers.values();
    }

    /** A page may hold one user twice (overlapping reads); the later copy is the newer. */
    private static Map<String, CanonicalUser> lastOfEachId(List<CanonicalUser> users) {
        Map<String, CanonicalUser> byId = new LinkedHashMap<>();
        for (CanonicalUser user : users) {
            byId.remove(user.externalId());
            byId.put(user.externalId(), user);
        }
        return byId;
    }

    private record Stored(String hash, boolean deleted, Instant updatedAt) {

        /** A deleted user, or one whose stored version is newer than the record replayed or imported. */
        boolean keepsOver(CanonicalUser user) {
            return deleted || updatedAt != null && user.updatedAt() != null && user.updatedAt().isBefore(updatedAt);
        }
    }

    private Map<String, Stored> storedState(String source, java.util.Set<String> ids) throws SQLException {
        Map<String, Stored> stored = new HashMap<>();
        if (ids.isEmpty()) {
            return stored;
        }
        try (PreparedStatement select = connection.prepareStatement(dialect.selectStored(ids.size()))) {
            Array idArray = dialect.storedByArray ? connection.createArrayOf("varchar", ids.toArray()) : null;
            if (idArray != null) {
                select.setArray(1, idArray);
                select.setString(2, source);
            } else {
                int i = 1;
                for (String id : ids) {
                    select.setString(i++, source);
                    select.setString(i++, id);
                }
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), new Stored(rows.getString(2), rows.getBoolean(3), instant(rows, 4)));
                }
            } finally {
                if (idArray != null) {
                    idArray.free();
                }
            }
        }
        return stored;
    }

    /**
     * Writes the page's new and changed users: plain batched INSERTs for the new, UPDATEs by key for the changed. The
     * lookup above already told them apart and no other writer touches the source meanwhile (its single-flight lock),
     * so neither needs the database to decide again, which an upsert (H2's MERGE, PostgreSQL's ON CONFLICT) would do
     * at a cost per row.
     */
    private void writeUsers(List<CanonicalUser> changed, Set<String> added) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = added.isEmpty() ? null : connection.prepareStatement(INSERT_USER);
             PreparedStatement update = added.size() == changed.size() ? null : connection.prepareStatement(UPDATE_USER)) {
            for (CanonicalUser user : changed) {
                if (added.contains(user.externalId())) {
                    insert.setString(1, user.source());
                    insert.setString(2, user.externalId());
                    setColumns(insert, 3, user);
                    insert.setObject(14, now);
                    insert.setObject(15, now);
                    insert.addBatch();
                } else {
                    setColumns(update, 1, user);
                    update.setObject(12, now);
                    update.setString(13, user.source());
                    update.setString(14, user.externalId());
                    update.addBatch();
                }
            }
            if (insert != null) {
                insert.executeBatch();
            }
            if (update != null) {
                update.executeBatch();
            }
        }
    }

    private static final String INSERT_USER = """
            INSERT INTO crm_user (source, external_id, email, phone, first_name, last_name, display_name, user_type, locale,
                created_at, updated_at, attributes, content_hash, deleted, first_synced_at, last_synced_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)""";

    private static final String UPDATE_USER = """
            UPDATE crm_user SET email = ?, phone = ?, first_name = ?, last_name = ?, display_name = ?, user_type = ?,
                locale = ?, created_at = ?, updated_at = ?, attributes = ?, content_hash = ?, deleted = FALSE, last_synced_at = ?
            WHERE source = ? AND external_id = ?""";

    /** The eleven content columns, email to content_hash, from parameter {@code first} on. */
    private static void setColumns(PreparedStatement statement, int first, CanonicalUser user) throws SQLException {
        statement.setString(first, user.email());
        statement.setString(first + 1, user.phone());
        statement.setString(first + 2, user.firstName());
        statement.setString(first + 3, user.lastName());
        statement.setString(first + 4, user.displayName());
        statement.setString(first + 5, user.userType());
        statement.setString(first + 6, user.locale());
        setInstant(statement, first + 7, user.createdAt());
        setInstant(statement, first + 8, user.updatedAt());
        statement.setString(first + 9, user.attributes());
        statement.setString(first + 10, user.contentHash());
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * The ids the source read from the page's records count as seen, and so do the ids of the page's users and
     * rejects (a mapping may make its own external_id): a user whose record is bad today, or that the mapping could
     * not identify, still exists.
     */
    private static Set<String> seenIds(PageWrite page) {
        Set<String> ids = new LinkedHashSet<>(page.seenIds());
        page.users().forEach(user -> ids.add(user.externalId()));
        page.rejections().forEach(rejection -> ids.add(rejection.externalId()));
        ids.removeIf(id -> id == null || id.length() > 128); // a longer id is no external_id (the column's size)
        return ids;
    }

    /**
     * A row per id seen, for a page that covers no id range ({@link ScanCoverage}): every page of Instabot's and
     * StepChat's full scans, whose pages are not in id order (by offset and by page token), and a Mercury page
     * that is not.
     */
    private void markSeen(String source, Set<String> ids) throws SQLException {
        try (PreparedStatement seen = connection.prepareStatement(dialect.markSeen)) {
            for (String id : ids) {
                seen.setString(1, source);
                seen.setString(2, id);
                seen.addBatch();
            }
            seen.executeBatch();
        }
    }

    /**
     * Ends a completed full scan: every live user it did not see is flagged deleted, with its outbox event, and the
     * scan's seen ids are forgotten. Finding the unseen takes a pass over all the source's users, so it is done once
     * (the outbox insert, or a count in a rehearsal); the flagging pass and the mass-delete count run only when there
     * is someone to flag.
     */
    private long flagUnseenDeleted(long runId, String source, ScanCoverage coverage) throws SQLException {
        if (coverage.nobodyUnseen(connection, source)) {
            return 0; // a re-scan in id order that found everyone: not even the seen rows to forget
        }
        long unseen = outbox != null ? outbox.flaggingDeleted(runId, source, coverage) : countUnseen(source, coverage);
        long deleted = 0;
        if (unseen > 0) {
            checkMassDelete(runId, source, unseen);
            if (changedUsers != null) {
                rememberUnseen(source, coverage);
            }
            try (PreparedStatement flag = connection.prepareStatement("UPDATE crm_user SET deleted = TRUE, last_synced_at = ? "
                    + "WHERE source = ? AND NOT deleted AND " + coverage.unseen())) {
                flag.setObject(1, now);
                flag.setString(2, source);
                coverage.bind(flag, 3);
                deleted = flag.executeUpdate();
            }
        }
        ScanStart.forgetSeen(connection, source);
        return deleted;
    }

    /** The users a completing scan is about to flag deleted, for their contacts (the mass-delete gate bounds them). */
    private void rememberUnseen(String source, ScanCoverage coverage) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT external_id FROM crm_user WHERE source = ? AND NOT deleted AND " + coverage.unseen())) {
            select.setString(1, source);
            coverage.bind(select, 2);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UserKey key = new UserKey(source, rows.getString(1));
                    changedUsers.put(key, new UserChange(key, null, false));
                }
            }
        }
    }

    private long countUnseen(String source, ScanCoverage coverage) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM crm_user WHERE source = ? AND NOT deleted AND " + coverage.unseen())) {
            count.setString(1, source);
            coverage.bind(count, 2);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * The mass-delete gate: a scan that would flag more than its run's share of the live users deleted flags none
     * and fails, rolling this whole page back, so the scan stays unfinished and nobody is marked.
     */
    private void checkMassDelete(long runId, String source, long unseen) throws SQLException {
        Double share = rehearsal ? rehearsalShare : null;
        if (!rehearsal) {
            try (PreparedStatement select = connection.prepareStatement("SELECT max_delete_share FROM sync_run WHERE id = ?")) {
                select.setLong(1, runId);
                try (ResultSet rows = select.executeQuery()) {
                    java.math.BigDecimal stored = rows.next() ? rows.getBigDecimal(1) : null;
                    share = stored == null ? null : stored.doubleValue();
                }
            }
        }
        if (share == null) {
            return;
        }
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM crm_user WHERE source = ? AND NOT deleted")) {
            count.setString(1, source);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                long live = rows.getLong(1);
                if (unseen > share * live) {
                    throw new MassDeleteRefused(source, unseen, live, share);
                }
            }
        }
    }

    private void addToRun(long runId, PageCounts counts) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE sync_run SET fetched = fetched + ?, inserted = inserted + ?, updated = updated + ?,
                    unchanged = unchanged + ?, deleted = deleted + ?, rejected = rejected + ? WHERE id = ?""")) {
            update.setLong(1, counts.fetched());
            update.setLong(2, counts.inserted());
            update.setLong(3, counts.updated());
            update.setLong(4, counts.unchanged());
            update.setLong(5, counts.deleted());
            update.setLong(6, counts.rejected());
            update.setLong(7, runId);
            update.executeUpdate();
        }
    }

    private void storeCursor(String source, String cursor) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(dialect.upsertCursor)) {
            upsert.setString(1, source);
            upsert.setString(2, cursor);
            upsert.setObject(3, now);
            upsert.executeUpdate();
        }
    }

    /** The page as fetched, beside the rows it produced: replay starts here. */
    /**
     * Lands the page, unless the source landed the same page before (within the retention): a re-read that changes
     * nothing lands nothing, and its users' records are in the page that landed them. The digest is of the compressed
     * bytes, which the same records give again (java.util.zip writes no time in its GZIP header).
     */
    private void land(PageWrite page) throws SQLException {
        RawPage raw = page.raw();
        if (raw == null) {
            return;
        }
        String digest = raw.digest();
        try (PreparedStatement landed = connection.prepareStatement(
                "SELECT 1 FROM raw_page WHERE source = ? AND digest = ? FETCH FIRST 1 ROWS ONLY")) {
            landed.setString(1, page.source());
            landed.setString(2, digest);
            try (ResultSet rows = landed.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO raw_page (run_id, source, request, fetched_at, records, payload, digest) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, page.runId());
            insert.setString(2, page.source());
            insert.setString(3, raw.request());
            insert.setObject(4, raw.fetchedAt().atOffset(ZoneOffset.UTC));
            insert.setInt(5, raw.records());
            insert.setBytes(6, raw.payload());
            insert.setString(7, digest);
            insert.executeUpdate();
        }
    }
}
