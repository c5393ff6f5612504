package io.botsync.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.model.CanonicalUser;
import io.botsync.model.Rejection;
import io.botsync.warehouse.PageWrite.ScanStep;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WarehouseTest {

    private Warehouse warehouse;

    private Warehouse open(String kind) {
        String url = TestDatabases.fresh(kind);
        warehouse = Warehouse.open(url, TestDatabases.user(url), "");
        return warehouse;
    }

    @AfterEach
    void close() {
        if (warehouse != null) {
            warehouse.close();
        }
    }

    private static CanonicalUser user(String id, String email, String hash) {
        return new CanonicalUser("instabot", id, email, "+4915100" + id, "Ann", "Lee", "Ann Lee", "general", "de",
                Instant.parse("2024-01-02T03:04:05.123456Z"), Instant.parse("2024-02-03T04:05:06Z"), "{\"k\":\"v\"}", hash);
    }

    private static String hash(char c) {
        return String.valueOf(c).repeat(64);
    }

    private PageCounts write(long run, List<CanonicalUser> users, String cursor) {
        return warehouse.write(new PageWrite(run, "instabot", users.size(), users, List.of(), cursor, ScanStep.NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void insertsUpdatesAndLeavesUnchangedRowsAlone(String kind) throws Exception {
        open(kind);
        long run = warehouse.beginRun("instabot", "incremental");
        PageCounts first = write(run, List.of(user("1", "a@x.io", hash('a')), user("2", "b@x.io", hash('b'))), "{\"c\":1}");
        assertEquals(new PageCounts(2, 2, 0, 0, 0, 0), first);
        List<List<Object>> before = rows("SELECT external_id, email, last_synced_at, first_synced_at FROM crm_user ORDER BY external_id");

        Thread.sleep(5); // so that a rewrite would show in last_synced_at
        PageCounts second = write(run, List.of(user("1", "a@x.io", hash('a')), user("2", "new@x.io", hash('c'))), "{\"c\":2}");
        assertEquals(new PageCounts(2, 0, 1, 1, 0, 0), second);

        List<List<Object>> after = rows("SELECT external_id, email, last_synced_at, first_synced_at FROM crm_user ORDER BY external_id");
        assertEquals(before.get(0), after.get(0), "the unchanged user is not rewritten");
        assertEquals("new@x.io", after.get(1).get(1));
        assertTrue(((java.time.OffsetDateTime) after.get(1).get(2)).isAfter((java.time.OffsetDateTime) before.get(1).get(2)));
        assertEquals(before.get(1).get(3), after.get(1).get(3), "first_synced_at survives an update");
        assertEquals(Optional.of("{\"c\":2}"), warehouse.cursor("instabot"));
        assertEquals(List.of(List.of(4L, 2L, 1L, 1L)), rows("SELECT fetched, inserted, updated, unchanged FROM sync_run"));
        assertEquals(List.of(List.of(Instant.parse("2024-01-02T03:04:05.123456Z"))),
                rows("SELECT created_at FROM crm_user WHERE external_id = '1'").stream()
                        .map(r -> List.<Object>of(((java.time.OffsetDateTime) r.get(0)).toInstant())).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void writingTheSamePageTwiceGivesTheSameTable(String kind) throws Exception {
        open(kind);
        long run = warehouse.beginRun("instabot", "incremental");
        List<CanonicalUser> page = List.of(user("1", "a@x.io", hash('a')), user("2", "b@x.io", hash('b')));
        write(run, page, "{\"c\":1}");
        List<List<Object>> once = rows("SELECT * FROM crm_user ORDER BY external_id");
        PageCounts again = write(run, page, "{\"c\":1}");
        assertEquals(new PageCounts(2, 0, 0, 2, 0, 0), again);
        assertEquals(once, rows("SELECT * FROM crm_user ORDER BY external_id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFailureBetweenTheRowsAndTheCursorCommitsNeither(String kind) throws Exception {
        open(kind);
        long run = warehouse.beginRun("instabot", "incremental");
        execute("DROP TABLE sync_state"); // the cursor statement, the last of the page, now fails
        assertThrows(WarehouseException.class, () -> write(run, List.of(user("1", "a@x.io", hash('a'))), "{\"c\":1}"));
        assertEquals(List.of(List.of(0L)), rows("SELECT COUNT(*) FROM crm_user"));
        assertEquals(List.of(List.of(0L)), rows("SELECT fetched FROM sync_run"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void pagesWrittenTogetherCommitAllOrNone(String kind) throws Exception {
        open(kind);
        long run = warehouse.beginRun("instabot", "incremental");
        PageWrite first = new PageWrite(run, "instabot", 1, List.of(user("1", "a@x.io", hash('a'))), List.of(), "{\"c\":1}", ScanStep.NONE);
        PageWrite second = new PageWrite(run, "instabot", 1, List.of(user("2", "b@x.io", hash('b'))), List.of(), "{\"c\":2}", ScanStep.NONE);
        // a cursor row the database refuses (its source is longer than the column), so the second page fails last
        PageWrite refused = new PageWrite(run, "s".repeat(40), 1, List.of(), List.of(), "{\"c\":3}", ScanStep.NONE);

        assertThrows(WarehouseException.class, () -> warehouse.write(List.of(first, second, refused)));
        assertEquals(List.of(List.of(0L)), rows("SELECT COUNT(*) FROM crm_user"));
        assertEquals(Optional.empty(), warehouse.cursor("instabot"));
        assertEquals(List.of(List.of(0L)), rows("SELECT fetched FROM sync_run"));

        assertEquals(List.of(new PageCounts(1, 1, 0, 0, 0, 0), new PageCounts(1, 1, 0, 0, 0, 0)),
                warehouse.write(List.of(first, second)));
        assertEquals(List.of(List.of("1"), List.of("2")), rows("SELECT external_id FROM crm_user ORDER BY external_id"));
        assertEquals(Optional.of("{\"c\":2}"), warehouse.cursor("instabot"), "the cursor is the last page's");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aCompletedFullScanFlagsUnseenUsersDeletedAndASightingRevivesThem(String kind) throws Exception {
        open(kind);
        long run = warehouse.beginRun("instabot", "full");
        write(run, List.of(user("1", null, hash('a')), user("2", null, hash('b')), user("3", null, hash('c'))), null);
        warehouse.startScan("instabot");
        warehouse.write(new PageWrite(run, "instabot", 1, List.of(user("1", null, hash('a'))),
                List.of(new Rejection("2", "bad date", "{}")), null, ScanStep.SEEN));
        PageCounts last = warehouse.write(new PageWrite(run, "instabot", 0, List.of(), List.of(), null, ScanStep.COMPLETES));
        assertEquals(1, last.deleted());
        assertEquals(List.of(List.of("1", false), List.of("2", false), List.of("3", true)),
                rows("SELECT external_id, deleted FROM crm_user ORDER BY external_id"));
        assertEquals(List.of(List.of(0L)), rows("SELECT COUNT(*) FROM scan_seen"));

        PageCounts back = write(run, List.of(user("3", null, hash('c'))), null);
        assertEquals(1, back.updated(), "a deleted user seen again is an update");
        assertEquals(List.of(List.of(false)), rows("SELECT deleted FROM crm_user WHERE external_id = '3'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRunLeftRunningByADeadProcessIsClosedAsFailed(String kind) throws Exception {
        open(kind);
        long dead = warehouse.beginRun("instabot", "incremental");
        long next = warehouse.beginRun("instabot", "incremental");
        warehouse.finishRun(next, true, null);
        assertEquals(List.of(List.of(dead, "failed"), List.of(next, "succeeded")), rows("SELECT id, status FROM sync_run ORDER BY id"));
        SourceStatus status = warehouse.status().get(0);
        assertEquals("succeeded", status.status());
        assertEquals(next, status.runId());
    }

    @Test
    void postgresqlKeepsPlansOnlyInTheTransactionThatWritesPages() throws SQLException {
        open("postgresql");
        try (Connection connection = warehouse.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            assertEquals("force_custom_plan", planCacheMode(connection));
            Dialect.POSTGRESQL.keepPlans(connection);
            assertEquals("auto", planCacheMode(connection));
            connection.commit();
            assertEquals("force_custom_plan", planCacheMode(connection), "back in the pool, it plans every statement again");
        }
    }

    private static String planCacheMode(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SHOW plan_cache_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = warehouse.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void theSingleFlightTableSaysHowEachDatabaseLocks() throws Exception {
        open("postgresql");
        String comment = (String) rows("SELECT obj_description('sync_lock'::regclass, 'pg_class')").get(0).get(0);
        assertTrue(comment.contains("advisory lock") && comment.contains("H2"), comment);
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        try (Connection connection = warehouse.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    if (value instanceof java.sql.Timestamp || value instanceof java.time.OffsetDateTime) {
                        value = rs.getObject(i, java.time.OffsetDateTime.class);
                    }
                    if (value instanceof Integer n) {
                        value = n.longValue();
                    }
                    row.add(value);
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
