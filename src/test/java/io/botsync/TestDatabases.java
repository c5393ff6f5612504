package io.botsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Fresh, empty warehouses for tests: an H2 file database in a temporary folder, or a new database on the
 * PostgreSQL server at 127.0.0.1:5432 (trust auth, as CI's {@code .ci/run} ensures). Each call gives a database
 * no other test touches.
 */
public final class TestDatabases {

    public static final String POSTGRES_ADMIN_URL = System.getProperty("botsync.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    public static final String POSTGRES_USER = System.getProperty("botsync.test.postgres.user", "postgres");

    private TestDatabases() {
    }

    /** A JDBC URL of a new, empty database: {@code kind} is {@code h2} or {@code postgresql}. */
    public static String fresh(String kind) {
        return switch (kind) {
            case "h2" -> freshH2();
            case "postgresql" -> freshPostgres();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    public static String freshH2() {
        try {
            Path dir = Files.createTempDirectory("botsync-h2");
            return "jdbc:h2:file:" + dir.resolve("warehouse").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String freshPostgres() {
        String name = "botsync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + POSTGRES_ADMIN_URL + " is needed by this test: " + e.getMessage(), e);
        }
        return POSTGRES_ADMIN_URL.substring(0, POSTGRES_ADMIN_URL.lastIndexOf('/') + 1) + name;
    }

    /** MariaDB on this machine (root, no password), for the push target that writes to a database of the user's. */
    public static final String MARIADB_ADMIN_URL = System.getProperty("botsync.test.mariadb", "jdbc:mariadb://127.0.0.1:3306/");

    /** A JDBC URL of a new, empty database on the MariaDB server (user root, no password). */
    public static String freshMariaDb() {
        String name = "botsync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(MARIADB_ADMIN_URL, "root", "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB at " + MARIADB_ADMIN_URL + " is needed by this test: " + e.getMessage(), e);
        }
        return MARIADB_ADMIN_URL + name;
    }

    /**
     * The rows a query gives, read with a connection of the test's own: numbers as longs and timestamps as instants,
     * so that two warehouses' rows compare equal whatever their drivers return.
     */
    public static List<List<Object>> rows(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user(url), "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<List<Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rows.getObject(i);
                    row.add(value instanceof Number n ? (Object) n.longValue()
                            : value instanceof java.time.temporal.Temporal || value instanceof java.sql.Timestamp
                            ? rows.getObject(i, OffsetDateTime.class).toInstant() : value);
                }
                result.add(row);
            }
            return result;
        }
    }

    /** The user to connect with: PostgreSQL's admin role, MariaDB's root, or H2's default. */
    public static String user(String url) {
        return url.startsWith("jdbc:postgresql:") ? POSTGRES_USER : url.startsWith("jdbc:mariadb:") ? "root" : "sa";
    }
}
