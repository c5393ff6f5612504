package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The start of a full scan, in a caller's transaction: what an unfinished scan saw is forgotten, and whether the
 * source has any user yet is noted in {@code sync_state}, so that a resumed scan knows it too. A scan that starts
 * empty has nobody to flag deleted: every user it ends with, it wrote itself (no other writer touches the source
 * meanwhile: its single-flight lock), so it needs neither {@code scan_seen} rows nor the pass over the source at its end.
 */
final class ScanStart {

    private ScanStart() {
    }

    /** @return true when the source has no users, so the scan need not track what it sees */
    static boolean begin(Connection connection, Dialect dialect, String source, OffsetDateTime now) throws SQLException {
        forgetSeen(connection, source);
        boolean empty;
        try (PreparedStatement any = connection.prepareStatement("SELECT 1 FROM crm_user WHERE source = ? FETCH FIRST 1 ROW ONLY")) {
            any.setString(1, source);
            try (ResultSet rows = any.executeQuery()) {
                empty = !rows.next();
            }
        }
        try (PreparedStatement note = connection.prepareStatement(dialect.noteScanStart)) {
            note.setString(1, source);
            note.setBoolean(2, empty);
            note.setObject(3, now);
            note.executeUpdate();
        }
        return empty;
    }

    /**
     * Drops what a scan of the source has seen and not seen: at its start (an unfinished scan's ids) and at its end.
     * The ranges it covered ({@link ScanCoverage}) are reset at its start, with scan_from_empty.
     */
    static void forgetSeen(Connection connection, String source) throws SQLException {
        for (String table : new String[] {"scan_seen", "scan_unseen"}) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE source = ?")) {
                delete.setString(1, source);
                delete.executeUpdate();
            }
        }
    }

    /** How the scan in progress began: true when its source had no users then. */
    static boolean fromEmpty(Connection connection, String source) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT scan_from_empty FROM sync_state WHERE source = ?")) {
            select.setString(1, source);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }
}
