package io.botsync.warehouse;

import io.botsync.model.IdRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * What a full scan in progress knows of its source besides {@code scan_seen}: the id ranges its pages covered. A page
 * in id order (Mercury's {@code startId} paging, see {@link IdRange}) that follows the covered ranges without a gap
 * covers its own: one range query on crm_user's key finds the stored live users in it, and only those the page did not
 * hold are written, to {@code scan_unseen}. A re-scan that changes nothing so writes no row per user.
 *
 * <p>The first page that is not in id order (or does not follow on) ends the ranges for the rest of the scan
 * ({@code scan_ranged} false): from there each id seen is a {@code scan_seen} row, as for every other platform, and
 * the scan completes flagging the users in {@code scan_unseen} and those above the covered ranges, minus those seen
 * either way. Both facts live in {@code sync_state}, committed with each page, so a resumed scan goes on where the
 * crashed one committed.
 *
 * <p>Ranges compare ids as the database does; they are used only where that order is {@link String#compareTo}'s (H2,
 * and PostgreSQL when crm_user.external_id sorts by bytes, see {@link IdOrder}).
 *
 * @param ranged    every page so far covered a range, contiguous from the first id
 * @param coveredTo the last id covered; null: nothing yet
 * @param complete  the ranges reach the last id: the scan completed in id order
 */
record ScanCoverage(boolean ranged, String coveredTo, boolean complete) {

    static ScanCoverage of(Connection connection, String source) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT scan_ranged, scan_covered_to FROM sync_state WHERE source = ?")) {
            select.setString(1, source);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new ScanCoverage(rows.getBoolean(1), rows.getString(2), false)
                        : new ScanCoverage(false, null, false);
            }
        }
    }

    /**
     * Covers the page's range, when it has one that follows on from what is covered, and every id the page counts
     * seen lies in it as the platform's own id (a mapping that makes its own external_id breaks the order).
     *
     * @param seen the ids the page counts seen: its platform ids, its users' and its rejects'
     * @return the coverage after the page, or null when the page covers no range (the caller falls back)
     */
    ScanCoverage cover(Connection connection, PageWrite page, Set<String> seen) throws SQLException {
        IdRange range = page.range();
        if (!ranged || range == null || !java.util.Objects.equals(range.after(), coveredTo)
                || range.upTo() != null && range.upTo().length() > 128 || !new java.util.HashSet<>(page.seenIds()).containsAll(seen)) {
            return null;
        }
        for (String id : seen) {
            if (!range.holds(id)) {
                return null;
            }
        }
        storeUnseen(connection, page.source(), range, seen);
        if (range.upTo() == null) {
            return new ScanCoverage(true, coveredTo, true); // the scan completes here: nothing to note for a resume
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE sync_state SET scan_covered_to = ? WHERE source = ?")) {
            update.setString(1, range.upTo());
            update.setString(2, page.source());
            update.executeUpdate();
        }
        return new ScanCoverage(true, range.upTo(), false);
    }

    /** The stored live users in the range that the page did not hold: one range query on crm_user's key. */
    private static void storeUnseen(Connection connection, String source, IdRange range, Set<String> seen) throws SQLException {
        String sql = "SELECT external_id FROM crm_user WHERE source = ? AND NOT deleted"
                + (range.after() == null ? "" : " AND external_id > ?") + (range.upTo() == null ? "" : " AND external_id <= ?");
        try (PreparedStatement select = connection.prepareStatement(sql);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO scan_unseen (source, external_id) VALUES (?, ?)")) {
            int index = 1;
            select.setString(index++, source);
            if (range.after() != null) {
                select.setString(index++, range.after());
            }
            if (range.upTo() != null) {
                select.setString(index, range.upTo());
            }
            boolean any = false;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    if (!seen.contains(id)) {
                        insert.setString(1, source);
                        insert.setString(2, id);
                        insert.addBatch();
                        any = true;
                    }
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
    }

    /** Ends the ranges for the rest of the scan: the page is not in id order. */
    ScanCoverage fallBack(Connection connection, String source) throws SQLException {
        if (ranged) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE sync_state SET scan_ranged = FALSE WHERE source = ?")) {
                update.setString(1, source);
                update.executeUpdate();
            }
        }
        return new ScanCoverage(false, coveredTo, false);
    }

    /** Whether a scan that completed in id order left no candidate: then nobody is unseen, with no pass over the source. */
    boolean nobodyUnseen(Connection connection, String source) throws SQLException {
        if (!complete) {
            return false;
        }
        try (PreparedStatement any = connection.prepareStatement("SELECT 1 FROM scan_unseen WHERE source = ? FETCH FIRST 1 ROW ONLY")) {
            any.setString(1, source);
            try (ResultSet rows = any.executeQuery()) {
                return !rows.next();
            }
        }
    }

    /**
     * A crm_user row (the statement's table, unaliased) that the completing scan has not seen: not in scan_seen, and
     * either a candidate of a covered range or above the ranges. Its parameters are bound by {@link #bind}.
     */
    String unseen() {
        String candidate = "EXISTS (SELECT 1 FROM scan_unseen u WHERE u.source = crm_user.source AND u.external_id = crm_user.external_id)";
        String notSeen = "NOT EXISTS (SELECT 1 FROM scan_seen s WHERE s.source = crm_user.source AND s.external_id = crm_user.external_id)";
        if (complete) {
            return candidate;
        }
        return notSeen + (coveredTo == null ? "" : " AND (" + candidate + " OR crm_user.external_id > ?)");
    }

    /** Binds {@link #unseen}'s parameters from {@code index} on; returns the next index. */
    int bind(PreparedStatement statement, int index) throws SQLException {
        if (!complete && coveredTo != null) {
            statement.setString(index++, coveredTo);
        }
        return index;
    }
}
