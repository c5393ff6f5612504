package io.botsync.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import java.nio.file.Files;
import java.nio.file.Path;
import io.botsync.sync.RunResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The service ({@code run}'s application) imports what lands in its inbox and prunes landed pages past retention. */
class InboxTest {

    @Test
    void aGoodFileIsImportedIntoDoneAndABrokenOneLandsInFailedWithItsReason() throws Exception {
        Path inbox = Files.createTempDirectory("botsync-inbox");
        Path folder = Files.createDirectories(inbox.resolve("stepchat"));
        String url = TestDatabases.freshH2();
        try (Application app = Application.start(Map.of("botsync.warehouse.url", url,
                "botsync.import.inbox", inbox.toString(), "botsync.raw.prune-cron", "0/1 * * * * ?"), true)) {
            Files.writeString(folder.resolve("good.ndjson"), "{\"id\":\"41\",\"first_name\":\"Ada\",\"last_activity\":\"2023-05-12 14:28:57\"}\n");
            Files.writeString(folder.resolve("broken.json"), "[{\"id\":\"42\"},\n{\"id\":\n");

            Path failed = folder.resolve("failed");
            waitFor(() -> Files.exists(folder.resolve("done/good.ndjson")) && Files.exists(failed.resolve("broken.json")));
            String reason = Files.readString(failed.resolve("broken.json.reason.txt"));
            assertTrue(reason.contains("line 3: broken JSON"), reason);
            assertEquals(List.of("done", "failed"), Files.list(folder).map(p -> p.getFileName().toString()).sorted().toList());

            try (Connection db = app.warehouse().dataSource().getConnection()) {
                assertEquals(List.of(List.of("41")), Warehouses.rows(db, "SELECT external_id FROM crm_user"));
                // landed pages past retention (30 days by default) are pruned by the service's schedule
                assertEquals(1, count(db), "the good file's page is landed; the broken file committed no page");
                db.createStatement().executeUpdate("UPDATE raw_page SET fetched_at = TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00Z'");
                waitFor(() -> count(db) == 0);
            }
        }
    }

    @Test
    void aFileWhoseSourceIsSyncingElsewhereWaitsInTheInboxAndIsImportedOnceTheSourceIsFree() throws Exception {
        Path inbox = Files.createTempDirectory("botsync-inbox");
        Path folder = Files.createDirectories(inbox.resolve("stepchat"));
        String url = TestDatabases.freshH2();
        try (Application app = Application.start(Map.of("botsync.warehouse.url", url,
                "botsync.import.inbox", inbox.toString()), true);
             Connection otherProcess = DriverManager.getConnection(url, "sa", "")) {
            // another process syncing stepchat holds its lock row, as SingleFlight takes it
            otherProcess.createStatement().executeUpdate("INSERT INTO sync_lock (source) VALUES ('stepchat')");
            otherProcess.setAutoCommit(false);
            otherProcess.createStatement().executeQuery("SELECT source FROM sync_lock WHERE source = 'stepchat' FOR UPDATE").close();
            AtomicInteger skipped = new AtomicInteger();
            app.pipeline().onRunFinished(run -> {
                if (run.source().equals("stepchat") && run.status() == RunResult.Status.SKIPPED) {
                    skipped.incrementAndGet();
                }
            });

            Files.writeString(folder.resolve("users.ndjson"), "{\"id\":\"51\",\"first_name\":\"Ida\",\"last_activity\":\"2023-05-12 14:28:57\"}\n");
            waitFor(() -> skipped.get() >= 2); // tried, put back, and tried again: not moved to done/ unimported
            otherProcess.rollback(); // the other sync ends

            waitFor(() -> Files.exists(folder.resolve("done/users.ndjson")) && !Files.exists(folder.resolve("users.ndjson")));
            try (Connection db = app.warehouse().dataSource().getConnection()) {
                assertEquals(List.of(List.of("51")), Warehouses.rows(db, "SELECT external_id FROM crm_user"));
                assertEquals(List.of(List.of("import", "succeeded")), Warehouses.rows(db, "SELECT mode, status FROM sync_run"),
                        "the tries while the source was busy are no runs");
            }
        }
    }

    private static long count(Connection db) {
        try {
            return Warehouses.count(db, "SELECT COUNT(*) FROM raw_page");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the service to act; a generous limit, only so that a broken build ends. */
    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        Instant limit = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(limit), "the service did not act within a minute");
            Thread.sleep(100);
        }
    }
}
