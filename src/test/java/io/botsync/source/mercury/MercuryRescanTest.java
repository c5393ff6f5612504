package io.botsync.source.mercury;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sync.RunResult;
import io.botsync.warehouse.PageCounts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 22: Mercury's full scans page in id order, so a re-scan keeps no scan_seen row per user: one that changes
 * nothing writes no row but its run's bookkeeping, and the users gone from Mercury are still exactly the ones flagged.
 */
class MercuryRescanTest {

    private final MercurySimulator sim = new MercurySimulator(120, 7);
    private final List<Application> apps = new ArrayList<>();
    private String url;
    /** The app under test: its own pool reads the warehouse (an embedded H2 file is best opened once). */
    private Application app;

    @AfterEach
    void close() {
        apps.forEach(Application::close);
        sim.close();
    }

    /** botsync on a fresh warehouse of the kind, 25 users a page, with the given source keys over the simulator's. */
    private Application botsync(String kind, String... keys) {
        url = TestDatabases.fresh(kind);
        Map<String, String> properties = new HashMap<>(sim.sourceProperties("mercury"));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        properties.put("botsync.mercury.page-size", "25");
        properties.put("botsync.http.retry-delay", "10ms");
        for (int i = 0; i < keys.length; i += 2) {
            properties.put("botsync.mercury." + keys[i], keys[i + 1]);
        }
        app = Application.start(properties);
        apps.add(app);
        return app;
    }

    private static PageCounts sync(Application app) {
        RunResult result = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
        return result.counts();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRescanWithoutChangesWritesNoRowButItsRunsBookkeeping(String kind) throws SQLException {
        botsync(kind);
        sync(app);
        Map<String, Long> before = rowCounts();
        AtomicLong scanRows = watchScanRows("scan_seen", "scan_unseen");

        assertEquals(new PageCounts(120, 0, 0, 120, 0, 0), sync(app));

        assertEquals(0, scanRows.get(), "scan_seen and scan_unseen rows committed while the re-scan ran");
        assertEquals(before, rowCounts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void usersGoneFromMercuryAreFlaggedDeletedWhereverTheyWereInTheIdOrder(String kind) throws SQLException {
        botsync(kind);
        sync(app);
        Set<String> removed = removeFirstMiddleLastAndOneBetweenPages();
        AtomicLong scanRows = watchScanRows("scan_seen");

        assertEquals(4, sync(app).deleted());

        assertEquals(removed, deleted());
        assertEquals(0, scanRows.get(), "the ranges stand for the seen ids: no scan_seen row");
    }

    @ParameterizedTest(name = "{0}, startId inclusive: {1}")
    @CsvSource({"h2, true", "h2, false", "postgresql, true", "postgresql, false"})
    void aRescanKilledAfterTwoPagesAndResumedFlagsExactlyTheGone(String kind, boolean inclusive) throws SQLException {
        sim.startIdInclusive(inclusive);
        botsync(kind);
        sync(app);
        Set<String> removed = removeFirstMiddleLastAndOneBetweenPages();
        AtomicInteger requests = new AtomicInteger();
        sim.beforePage(query -> {
            if (requests.incrementAndGet() >= 3) { // and stays down: every retry fails too
                throw new IllegalStateException("the platform fell over");
            }
        });
        assertEquals(RunResult.Status.FAILED, app.sync().sync("mercury", false).status());
        assertEquals(Set.of(), deleted(), "nobody is flagged before the scan completes");
        assertTrue(app.warehouse().cursor("mercury").orElseThrow().startsWith("{\"startId\":"));

        sim.beforePage(query -> { });
        assertEquals(4, sync(app).deleted());

        assertEquals(removed, deleted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void pagesNotInIdOrderFallBackToAScanSeenRowPerUser(String kind) throws SQLException {
        botsync(kind, "sort-by", "+user.lastName"); // Mercury then orders by name, not by id
        sync(app);
        Set<String> removed = removeFirstMiddleLastAndOneBetweenPages();
        AtomicLong scanRows = watchScanRows("scan_seen");

        assertEquals(4, sync(app).deleted());

        assertEquals(removed, deleted());
        assertTrue(scanRows.get() > 0, "the fallback keeps a scan_seen row per id");
    }

    /**
     * Removes, in id order, the first and the last user, one in the middle, and the one that falls between the first
     * and the second page of the next scan (its first page then ends with the 27th user of today).
     */
    private Set<String> removeFirstMiddleLastAndOneBetweenPages() {
        Set<String> removed = new TreeSet<>();
        removed.add(sim.remove(119));
        removed.add(sim.remove(60));
        removed.add(sim.remove(26));
        removed.add(sim.remove(0));
        return removed;
    }

    /** The most rows of the tables committed at any page request from now on. */
    private AtomicLong watchScanRows(String... tables) {
        AtomicLong most = new AtomicLong();
        sim.beforePage(query -> {
            try {
                long rows = 0;
                for (String table : tables) {
                    rows += count(table);
                }
                most.accumulateAndGet(rows, Math::max);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return most;
    }

    private long count(String table) throws SQLException {
        try (Connection connection = app.warehouse().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Set<String> deleted() throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (Connection connection = app.warehouse().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT external_id FROM crm_user WHERE deleted")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** The rows of every table but the run's own bookkeeping (sync_run, sync_state). */
    private Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        try (Connection connection = app.warehouse().dataSource().getConnection()) {
            try (ResultSet rows = connection.getMetaData().getTables(null, url.startsWith("jdbc:h2:") ? "PUBLIC" : "public",
                    "%", new String[] {"TABLE"})) {
                while (rows.next()) {
                    String table = rows.getString("TABLE_NAME");
                    if (!Set.of("sync_run", "sync_state").contains(table.toLowerCase(Locale.ROOT))) {
                        tables.add(table);
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
                        rows.next();
                        counts.put(table.toLowerCase(Locale.ROOT), rows.getLong(1));
                    }
                }
            }
        }
        assertTrue(counts.containsKey("crm_user") && counts.containsKey("scan_seen"), counts.toString());
        return counts;
    }
}
