package io.botsync.replay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What a test sees of a warehouse: the rows a query returns, as text, and a full dump of an H2 database. */
final class Warehouses {

    private Warehouses() {
    }

    static List<List<String>> rows(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<List<String>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    static List<List<String>> rows(String url, String user, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, "")) {
            return rows(connection, sql);
        }
    }

    static long count(Connection connection, String sql) throws SQLException {
        return Long.parseLong(rows(connection, sql).get(0).get(0));
    }

    static byte[] bytes(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getBytes(1);
        }
    }

    /** H2's SCRIPT: every table, row, index and identity counter ("RESTART WITH"), as SQL text. */
    static String h2Dump(String url) throws SQLException {
        return h2DumpWithout(url, null);
    }

    /** The dump without the statements that name the table (its rows, its identity counter, the keys that point at it). */
    static String h2DumpWithout(String url, String table) throws SQLException {
        StringBuilder dump = new StringBuilder();
        rows(url, "sa", "SCRIPT NOPASSWORDS").stream().map(row -> row.get(0))
                .filter(statement -> table == null || !statement.toUpperCase(java.util.Locale.ROOT).matches(
                        "(?s).*\\b" + table.toUpperCase(java.util.Locale.ROOT) + "\\b.*"))
                .forEach(statement -> dump.append(statement).append('\n'));
        return dump.toString();
    }
}
