package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Whether the warehouse orders crm_user.external_id as {@link String#compareTo} does, which the id ranges of
 * {@link ScanCoverage} need: their range query must use crm_user's key, so it compares in the column's collation.
 * H2 compares by {@code compareTo} unless a collation is set ({@code SET COLLATION}); PostgreSQL does when the column
 * sorts by bytes ({@code C}, {@code POSIX}, or a database default such as {@code C.UTF-8}). Rather than trust names,
 * the database sorts a few ids that any language's collation sorts otherwise. When it does not sort them as Java does,
 * full scans keep a {@code scan_seen} row per id, as before.
 */
final class IdOrder {

    /** Case, punctuation, digits, accents and a character beyond Latin-1: a collation for people reorders these. */
    private static final List<String> PROBE = List.of("a", "B", "_x", "-x", "x y", "xy", "é", "z", "0", "Z", "ä",
            "€", "~", "ab", "a-c", "aB", "A");

    private IdOrder() {
    }

    static boolean javaLike(DataSource dataSource, Dialect dialect) throws SQLException {
        String values = String.join(", ", java.util.Collections.nCopies(PROBE.size(), "(CAST(? AS varchar(8)))"));
        String sql = dialect == Dialect.POSTGRESQL
                // the column's own collation, whatever the database's default
                ? "SELECT x FROM (VALUES " + values + ") v (x) ORDER BY x COLLATE " + columnCollation(dataSource)
                : "SELECT x FROM (VALUES " + values + ") v (x) ORDER BY x";
        List<String> sorted = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < PROBE.size(); i++) {
                select.setString(i + 1, PROBE.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sorted.add(rows.getString(1));
                }
            }
        }
        List<String> java = new ArrayList<>(PROBE);
        java.sort(null);
        return sorted.equals(java);
    }

    /** The collation of crm_user.external_id, quoted for SQL; {@code "default"} when the column sets none. */
    private static String columnCollation(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement("""
                SELECT c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
                WHERE a.attrelid = 'crm_user'::regclass AND a.attname = 'external_id'""")) {
            try (ResultSet rows = select.executeQuery()) {
                String name = rows.next() ? rows.getString(1) : "default";
                return "\"" + name.replace("\"", "\"\"") + "\"";
            }
        }
    }
}
