package io.botsync.source.mercury;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sim.mercury.MercurySimulator.Defect;
import io.botsync.sync.RunResult;
import io.botsync.warehouse.PageCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real sync (Camel Main application, pipeline, H2 warehouse) against the Mercury simulator; asserts on crm_user. */
class MercurySyncTest {

    private final MercurySimulator sim = new MercurySimulator(120, 42);
    private final List<Application> apps = new ArrayList<>();

    @AfterEach
    void close() {
        apps.forEach(Application::close);
        sim.close();
    }

    /** botsync with a fresh H2 warehouse, Mercury pointed at the simulator, 25 users a page. */
    private Application botsync() {
        String url = TestDatabases.freshH2();
        Map<String, String> properties = new HashMap<>(sim.sourceProperties("mercury"));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        properties.put("botsync.mercury.page-size", "25");
        properties.put("botsync.http.retry-delay", "10ms");
        Application app = Application.start(properties);
        apps.add(app);
        return app;
    }

    private static PageCounts sync(Application app) {
        RunResult result = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
        assertEquals("full", result.mode());
        return result.counts();
    }

    @Test
    void aFullScanLandsEveryUserAndARerunWithoutChangesWritesNothing() throws SQLException {
        Application app = botsync();
        PageCounts first = sync(app);
        assertEquals(new PageCounts(120, 120, 0, 0, 0, 0), first);
        assertEquals(120, rows(app).size());
        assertEquals("{}", app.warehouse().cursor("mercury").orElseThrow());

        PageCounts second = sync(app);
        assertEquals(new PageCounts(120, 0, 0, 120, 0, 0), second);
        assertEquals(landedPages(app, 1), landedPages(app, null), "a re-scan that changes nothing lands no page");

        sim.mutate(1, 0); // one user changes: the page that holds it is new, the others were landed before
        PageCounts third = sync(app);
        assertEquals(1, third.updated());
        assertEquals(1, landedPages(app, 3));
    }

    /** The pages landed by one run, or by every run when null. */
    private static long landedPages(Application app, Integer run) throws SQLException {
        try (Connection connection = app.warehouse().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT COUNT(*) FROM raw_page" + (run == null ? "" : " WHERE run_id = " + run));
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void aUserLandsWithEveryColumnNormalised() throws SQLException {
        Application app = botsync();
        sync(app);
        var record = sim.renderAll().stream()
                .filter(user -> user.path("properties").path("user.email").asText().startsWith(" "))
                .filter(user -> user.path("properties").has("user.phone"))
                .findFirst().orElseThrow();
        var properties = record.path("properties");
        try (Connection connection = app.warehouse().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT email, phone, first_name, last_name, display_name,"
                     + " locale, updated_at, attributes, deleted FROM crm_user WHERE source = 'mercury' AND external_id = ?")) {
            select.setString(1, record.path("userId").asText());
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                assertEquals(properties.path("user.email").asText().strip().toLowerCase(), row.getString("email"));
                assertEquals(properties.path("user.phone").asText().replace(" ", ""), row.getString("phone"));
                assertEquals(record.path("firstName").asText(), row.getString("first_name"));
                assertEquals(record.path("lastName").asText(), row.getString("last_name"));
                assertEquals(record.path("firstName").asText() + " " + record.path("lastName").asText(), row.getString("display_name"));
                assertEquals(properties.path("user.locale").asText(), row.getString("locale"));
                assertEquals(Instant.parse(record.path("lastInteractionTime").asText().replace(' ', 'T') + "Z"),
                        row.getObject("updated_at", OffsetDateTime.class).toInstant());
                assertEquals("{\"user.company\":\"" + properties.path("user.company").asText() + "\",\"user.newsletter\":"
                        + properties.path("user.newsletter").asBoolean() + "}", row.getString("attributes"));
                assertFalse(row.getBoolean("deleted"));
            }
        }
    }

    @Test
    void changedAddedAndDeletedUsersAreWhatTheNextRunWrites() throws SQLException {
        Application app = botsync();
        sync(app);
        sim.mutate(6, 4);
        String removed = sim.remove(33);

        PageCounts counts = sync(app);

        assertEquals(new PageCounts(123, 4, 6, 113, 1, 0), counts);
        assertEquals("true", rows(app).get(removed).split(" ")[1]);
    }

    @ParameterizedTest(name = "startId inclusive: {0}")
    @ValueSource(booleans = {true, false})
    void aScanCrashedMidwayResumesFromItsCursorAndEndsWithTheTableOfACleanRun(boolean inclusive) throws SQLException {
        sim.startIdInclusive(inclusive);
        Application clean = botsync();
        sync(clean);

        Application crashed = botsync();
        AtomicInteger requests = new AtomicInteger();
        sim.beforePage(query -> {
            if (requests.incrementAndGet() >= 3) { // and stays down: every retry fails too
                throw new IllegalStateException("the platform fell over");
            }
        });
        RunResult failed = crashed.sync().sync("mercury", false);
        assertEquals(RunResult.Status.FAILED, failed.status());
        assertTrue(failed.error().contains("HTTP 500"), failed.error());
        // two pages landed: 25 + 25 users, or 25 + 24 when each page after the first repeats its startId user
        assertEquals(inclusive ? 49 : 50, rows(crashed).size());
        String cursor = crashed.warehouse().cursor("mercury").orElseThrow();
        assertTrue(cursor.startsWith("{\"startId\":"), cursor);

        sim.beforePage(query -> { });
        PageCounts resumed = sync(crashed);

        assertEquals(0, resumed.deleted());
        assertEquals(rows(clean), rows(crashed));
        assertEquals("{}", crashed.warehouse().cursor("mercury").orElseThrow());
    }

    @Test
    void aMalformedRecordIsRejectedWithItsReasonAndTheRestLands() throws SQLException {
        String broken = sim.corrupt(40, Defect.PROPERTIES_AS_TEXT);
        Application app = botsync();

        PageCounts counts = sync(app);

        assertEquals(1, counts.rejected());
        assertEquals(119, rows(app).size());
        assertFalse(rows(app).containsKey(broken));
        try (Connection connection = app.warehouse().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT external_id, reason FROM rejected_record WHERE source = 'mercury'");
             ResultSet row = select.executeQuery()) {
            assertTrue(row.next());
            assertTrue(row.getString("reason").contains("properties is not an object"), row.getString("reason"));
            assertFalse(row.next());
        }
    }

    /** external_id -> "content_hash deleted" of every Mercury row. */
    private static Map<String, String> rows(Application app) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection connection = app.warehouse().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT external_id, content_hash, deleted FROM crm_user WHERE source = 'mercury'");
             ResultSet row = select.executeQuery()) {
            while (row.next()) {
                rows.put(row.getString(1), row.getString(2) + " " + row.getBoolean(3));
            }
        }
        return rows;
    }
}
