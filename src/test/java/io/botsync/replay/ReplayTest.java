package io.botsync.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sync.RunResult;
import io.botsync.warehouse.RawPage;
import io.botsync.warehouse.RawPages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Landing and replay against the Mercury simulator on both warehouses: every fetched page is landed with its rows,
 * and a replay after a mapping change updates exactly the rows the change affects, without the platform.
 */
class ReplayTest {

    private static final int USERS = 300;
    private static final String CONTENT = "SELECT external_id, email, phone, first_name, last_name, display_name, locale,"
            + " updated_at, attributes, content_hash, deleted FROM crm_user ORDER BY external_id";

    private final MercurySimulator sim = new MercurySimulator(USERS, 11);
    private Application app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aReplayAfterAMappingChangeUpdatesExactlyTheAffectedRowsAndASecondReplayWritesNothing(String kind) throws Exception {
        Path mappings = Files.createTempDirectory("botsync-mappings");
        start(kind, mappings);
        assertEquals(RunResult.Status.SUCCEEDED, app.sync().sync("mercury").status());
        sim.mutate(20, 10);
        assertEquals(RunResult.Status.SUCCEEDED, app.sync().sync("mercury").status());
        sim.close(); // a replay never calls the platform

        try (Connection db = app.warehouse().dataSource().getConnection()) {
            assertLandedWithoutSecrets(db);
            List<List<String>> before = Warehouses.rows(db, CONTENT);
            String cursor = Warehouses.rows(db, "SELECT cursor FROM sync_state").toString();
            long affected = Warehouses.count(db, "SELECT COUNT(*) FROM crm_user WHERE first_name LIKE 'A%'"
                    + " AND display_name <> UPPER(display_name)");
            assertTrue(affected > 0 && affected < USERS, "the test data has users the change affects: " + affected);

            // the fix: names starting with A are shown in capitals
            Files.writeString(mappings.resolve("mercury.jslt"), builtInMapping().replace(
                    "\"display_name\": if ($joined != \"\") $joined,",
                    "\"display_name\": if ($joined != \"\") (if ($first and starts-with($first, \"A\")) uppercase($joined) else $joined),"));
            RunResult replay = replayAll();
            assertEquals(RunResult.Status.SUCCEEDED, replay.status(), replay.summary());
            assertEquals(affected, replay.counts().updated(), replay.summary());
            assertEquals(0, replay.counts().inserted() + replay.counts().deleted(), replay.summary());

            List<List<String>> after = Warehouses.rows(db, CONTENT);
            int changedRows = 0;
            for (int i = 0; i < before.size(); i++) {
                if (!before.get(i).equals(after.get(i))) {
                    changedRows++;
                    assertTrue(before.get(i).get(3).startsWith("A"), "only affected users change: " + after.get(i));
                    assertEquals(before.get(i).get(5).toUpperCase(java.util.Locale.ROOT), after.get(i).get(5));
                }
            }
            assertEquals(affected, changedRows);
            assertEquals(cursor, Warehouses.rows(db, "SELECT cursor FROM sync_state").toString(), "replay leaves the cursor");
            assertEquals(List.of(List.of("replay", "succeeded", String.valueOf(affected))), Warehouses.rows(db,
                    "SELECT mode, status, updated FROM sync_run WHERE mode = 'replay'"));

            RunResult again = replayAll();
            assertEquals(0, again.counts().written(), again.summary());
            assertEquals(after, Warehouses.rows(db, CONTENT), "a second replay writes nothing");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void replayingAnOldRunNeverOverwritesUsersThatChangedSince(String kind) throws Exception {
        start(kind, Files.createTempDirectory("botsync-mappings"));
        app.sync().sync("mercury");
        sim.mutate(30, 0);
        app.sync().sync("mercury");
        try (Connection db = app.warehouse().dataSource().getConnection()) {
            List<List<String>> current = Warehouses.rows(db, CONTENT);
            long firstRun = Warehouses.count(db, "SELECT MIN(id) FROM sync_run");
            RunResult replay = app.batch().replay(new RawPages.Selection("mercury", firstRun, null, null), null);
            assertEquals(RunResult.Status.SUCCEEDED, replay.status(), replay.summary());
            assertEquals(USERS, replay.counts().fetched(), "the first run's pages are replayed");
            assertEquals(0, replay.counts().written(), "users changed by the later run keep their newer version");
            assertEquals(current, Warehouses.rows(db, CONTENT));
        }
    }

    private RunResult replayAll() {
        return app.batch().replay(new RawPages.Selection("mercury", null, null, null), null);
    }

    /** Every page of both runs is landed, and neither the payloads nor the requests hold the API key. */
    private void assertLandedWithoutSecrets(Connection db) throws Exception {
        long fetched = Warehouses.count(db, "SELECT SUM(fetched) FROM sync_run");
        long landed = 0;
        try (PreparedStatement select = db.prepareStatement("SELECT request, fetched_at, records, payload FROM raw_page");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                RawPage page = new RawPage(rows.getString(1), null, rows.getInt(3), rows.getBytes(4));
                String json = page.decode().toString();
                assertEquals(page.records(), page.decode().size());
                assertFalse(json.contains(sim.apiKey()) || page.request().contains(sim.apiKey()), "no key in a landed page");
                landed += page.records();
            }
        }
        assertEquals(fetched, landed, "every fetched record is landed");
    }

    private void start(String kind, Path mappings) {
        String url = TestDatabases.fresh(kind);
        Map<String, String> properties = new HashMap<>(sim.sourceProperties("mercury"));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        properties.put("botsync.mercury.page-size", "50");
        properties.put("botsync.mappings.dir", mappings.toString());
        app = Application.start(properties);
    }

    private static String builtInMapping() throws IOException {
        try (InputStream in = ReplayTest.class.getResourceAsStream("/mappings/mercury.jslt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
