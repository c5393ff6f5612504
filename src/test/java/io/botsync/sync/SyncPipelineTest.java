package io.botsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole pipeline (Camel Main application, reader, mapping, SEDA hand-off, writer) on both warehouses, against
 * the Mercury simulator, whose cursor advances page by page.
 */
class SyncPipelineTest {

    private static final int USERS = 500;
    private static final int PAGE = 50;

    private final MercurySimulator sim = new MercurySimulator(USERS, 7);
    private final List<Application> apps = new ArrayList<>();

    @AfterEach
    void close() {
        apps.forEach(Application::close);
        sim.close();
    }

    private Application botsync(String url) {
        Map<String, String> properties = new HashMap<>(sim.sourceProperties("mercury"));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        properties.put("botsync.mercury.page-size", String.valueOf(PAGE));
        properties.put("botsync.pipeline.pages-in-flight", "3");
        Application app = Application.start(properties);
        apps.add(app);
        return app;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aWriteThatFailsMidRunKeepsThePagesBeforeItAndTheRerunEndsLikeACleanRun(String kind) throws Exception {
        String url = TestDatabases.fresh(kind);
        Application app = botsync(url);
        String poisoned = sim.renderAll().get(7 * PAGE + 10).path("userId").asText(); // on the 8th page
        execute(app, "ALTER TABLE crm_user ADD CONSTRAINT test_poison CHECK (external_id <> '" + poisoned + "')");

        RunResult failed = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.FAILED, failed.status(), failed.summary());
        assertTrue(failed.error().startsWith("mercury: warehouse error"), failed.error());
        long committed = (Long) query(app, "SELECT COUNT(*) FROM crm_user").get(0).get(0);
        assertTrue(committed >= 6 * PAGE && committed < 8 * PAGE, "the pages before the failing one stay committed: " + committed);
        assertEquals(List.of(List.of("failed", committed)), query(app, "SELECT status, inserted FROM sync_run"),
                "the run's counts are exactly what was committed");
        assertEquals(List.of(List.of(0L)), query(app, "SELECT COUNT(*) FROM crm_user WHERE external_id >= '" + poisoned + "'"),
                "nothing from the failing page or after it is written");
        String cursor = (String) query(app, "SELECT cursor FROM sync_state").get(0).get(0);
        assertTrue(cursor.contains("startId"), "the cursor committed with the last good page: " + cursor);

        execute(app, "ALTER TABLE crm_user DROP CONSTRAINT test_poison");
        RunResult resumed = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.SUCCEEDED, resumed.status(), resumed.summary());
        assertEquals(USERS - committed, resumed.counts().inserted(), "the rerun resumes at the failed page");
        assertEquals(0, resumed.counts().deleted(), "users the failed run saw still count as seen");

        Application clean = botsync(TestDatabases.fresh(kind));
        clean.sync().sync("mercury", false);
        String content = "SELECT source, external_id, email, phone, first_name, last_name, display_name, user_type, locale,"
                + " created_at, updated_at, attributes, content_hash, deleted FROM crm_user ORDER BY external_id";
        assertEquals(query(clean, content), query(app, content), "resumed table equals a clean run's table");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRerunWithoutChangesWritesNothing(String kind) throws Exception {
        Application app = botsync(TestDatabases.fresh(kind));
        assertEquals(USERS, app.sync().sync("mercury", false).counts().inserted());
        List<List<Object>> before = query(app, "SELECT external_id, last_synced_at FROM crm_user ORDER BY external_id");
        RunResult again = app.sync().sync("mercury", false);
        assertEquals(0, again.counts().written(), again.summary());
        assertEquals(USERS, again.counts().unchanged());
        assertEquals(before, query(app, "SELECT external_id, last_synced_at FROM crm_user ORDER BY external_id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aBadPageInAGroupCommitStillLeavesThePagesBeforeItCommitted(String kind) throws Exception {
        Application app = botsync(TestDatabases.fresh(kind));
        String poisoned = sim.renderAll().get(2 * PAGE + 10).path("userId").asText(); // on the 3rd page
        execute(app, "ALTER TABLE crm_user ADD CONSTRAINT test_poison CHECK (external_id <> '" + poisoned + "')");

        RunResult failed;
        // Another transaction holds the outbox lock, so the writer stalls in the 1st page's transaction while the
        // 2nd and 3rd pages queue up behind it; released, the writer takes those two into one transaction.
        try (Connection holder = app.warehouse().dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.executeUpdate("UPDATE user_change_writer SET written_at = written_at WHERE id = 1");
            }
            CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> app.sync().sync("mercury", false));
            while (app.camel().getInflightRepository().size("sync-mercury") < 3) {
                Thread.sleep(10);
            }
            holder.rollback();
            failed = run.get(2, TimeUnit.MINUTES);
        }

        assertEquals(RunResult.Status.FAILED, failed.status(), failed.summary());
        long committed = (Long) query(app, "SELECT COUNT(*) FROM crm_user").get(0).get(0);
        // 1st and 2nd page: 2 * PAGE users, or one fewer when the 2nd page repeats the 1st page's last user (startId)
        assertTrue(committed >= 2 * PAGE - 1 && committed <= 2 * PAGE,
                "the 2nd page commits on its own once its group failed, only the 3rd page and after are missing: " + committed);
        assertEquals(List.of(List.of("failed", committed)), query(app, "SELECT status, inserted FROM sync_run"));
    }

    private static void execute(Application app, String sql) throws SQLException {
        try (Connection connection = app.warehouse().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<List<Object>> query(Application app, String sql) throws SQLException {
        return TestDatabases.rows(app.property("botsync.warehouse.url"), sql);
    }
}
