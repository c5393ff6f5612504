package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.BotsyncProcess;
import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.push.WebhookReceiver;
import io.botsync.sim.mercury.MercurySimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The warehouse goes away for 20 seconds while {@code run} syncs and pushes: botsync reaches PostgreSQL through a
 * {@link TcpProxy} that closes every connection and refuses new ones, as a stopped server does, then lets them through
 * again. The service stays up, its health goes DOWN and comes back UP by itself, the run in flight fails without a
 * partial page and the next firing goes on from its last committed page; a {@code sync} started meanwhile exits 1 with
 * one line naming the database. At the end the warehouse is what a clean sync writes, and the webhook has had every
 * change once its repeats are dropped by idempotency key.
 */
class WarehouseOutageTest {

    private static final int USERS = 200;
    private static final int CHANGED = 20;
    private static final int ADDED = 5;
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final int PAGE_SIZE = 20;
    /** The run cut off is stopped at this page of its scan, the warehouse then taken away. */
    private static final int CUT_AT_PAGE = 4;

    private final HttpClient http = HttpClient.newHttpClient();
    /** Holds the scans that start once the outage is over and checked: the end state stays put to be compared. */
    private final CountDownLatch quiet = new CountDownLatch(1);

    @Test
    void runSurvivesA20SecondOutageAndEndsWithTheRowsOfACleanSync() throws Exception {
        String direct = TestDatabases.freshPostgres();
        int postgresPort = URI.create(direct.substring("jdbc:".length())).getPort();
        try (TcpProxy proxy = new TcpProxy(postgresPort);
             MercurySimulator mercury = new MercurySimulator(USERS, 41);
             WebhookReceiver webhook = new WebhookReceiver()) {
            String proxied = direct.replace(":" + postgresPort + "/", ":" + proxy.port() + "/");
            int management = freePort();
            Map<String, String> properties = properties(proxied, mercury, webhook);
            properties.put("camel.management.port", String.valueOf(management));
            BotsyncProcess run = BotsyncProcess.start(properties, "run");
            try {
                await(run, "the first scan lands and is pushed", () -> count(direct, "SELECT COUNT(*) FROM crm_user") == USERS
                        && pushedAll(direct, webhook));
                await(run, "health UP", () -> health(management).statusCode() == 200);

                // the next scan changes users; it is stopped at a page, and the warehouse goes away under it
                mercury.mutate(CHANGED, ADDED);
                CountDownLatch stopped = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                AtomicBoolean armed = new AtomicBoolean(true);
                AtomicInteger page = new AtomicInteger(Integer.MIN_VALUE); // counts from the first page of a scan
                mercury.beforePage(query -> {
                    if (!query.containsKey("startId")) {
                        page.set(0);
                    }
                    if (page.incrementAndGet() == CUT_AT_PAGE && armed.compareAndSet(true, false)) {
                        stopped.countDown();
                        await(release);
                    }
                });
                assertTrue(stopped.await(1, TimeUnit.MINUTES), "no scan reached page " + CUT_AT_PAGE + "\n" + run.output());
                long cutRun = count(direct, "SELECT MAX(id) FROM sync_run WHERE status = 'running'");
                // the pages before it committed: the warehouse goes away between two commits, under the run's lock
                await(run, "the pages before the stop committed", () -> count(direct,
                        "SELECT COUNT(*) FROM raw_page WHERE run_id = " + cutRun) == CUT_AT_PAGE - 1);
                long cutAt = System.nanoTime();
                proxy.cut();
                release.countDown();

                await(run, "health DOWN", () -> health(management).statusCode() == 503);
                String down = health(management).body();
                assertTrue(down.contains("warehouse") && down.contains("unreachable"), down);
                assertEquals(200, health(management, "/live").statusCode(), "a restart would not bring the database back");

                BotsyncProcess sync = BotsyncProcess.start(productionLogging(properties(proxied, mercury, webhook)), "sync");
                assertEquals(1, sync.exitCode(), sync.output());
                List<String> lines = sync.output().lines().filter(line -> !line.isBlank()).toList();
                assertEquals(1, lines.size(), "one line, no stack trace:\n" + sync.output());
                assertEquals("botsync: warehouse " + proxied + " is unreachable: Connection refused", lines.get(0));

                Thread.sleep(Math.max(0, OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - cutAt).toMillis()));
                assertTrue(run.alive(), "run is still running after the outage:\n" + run.output());
                assertEquals(503, health(management).statusCode(), "still DOWN at the end of the outage");
                proxy.restore();

                await(run, "health UP again, without a restart", () -> health(management).statusCode() == 200);
                await(run, "the run cut off is closed", () -> !"running".equals(status(direct, cutRun)));
                assertEquals("failed", status(direct, cutRun));
                String error = TestDatabases.rows(direct, "SELECT error FROM sync_run WHERE id = " + cutRun).get(0).get(0).toString();
                assertTrue(error.contains("the warehouse dropped the connection holding this sync's lock"), error);
                assertEquals(CUT_AT_PAGE - 1, count(direct, "SELECT COUNT(*) FROM raw_page WHERE run_id = " + cutRun),
                        "the pages before the cut committed, the one after it not");
                await(run, "a later run completes the scan", () -> count(direct,
                        "SELECT COUNT(*) FROM sync_run WHERE status = 'succeeded' AND id > " + cutRun) >= 1);
                await(run, "every change is pushed", () -> pushedAll(direct, webhook));

                // the next scan waits at its first page: the warehouse holds what the scan before it completed
                AtomicBoolean waiting = new AtomicBoolean();
                mercury.beforePage(query -> {
                    if (!query.containsKey("startId")) {
                        waiting.set(true);
                        await(quiet);
                    }
                });
                await(run, "a scan completes and the next waits", waiting::get);
                assertTrue(run.alive(), run.output());
            } finally {
                run.kill();
                quiet.countDown();
            }

            assertEquals("succeeded", TestDatabases.rows(direct, "SELECT status FROM sync_run WHERE finished_at IS NOT NULL"
                    + " ORDER BY id DESC LIMIT 1").get(0).get(0));
            // each page's rows commit with its counts, and a change is written once: the counts add up to the changes
            assertEquals(USERS + ADDED, count(direct, "SELECT SUM(inserted) FROM sync_run"), "no partial page, none twice");
            assertEquals(CHANGED, count(direct, "SELECT SUM(updated) FROM sync_run"), "no partial page, none twice");
            assertEquals(USERS + ADDED + CHANGED, count(direct, "SELECT COUNT(*) FROM user_change"), "no change recorded twice");
            String clean = TestDatabases.freshPostgres();
            try (Application app = Application.start(properties(clean, mercury, webhook))) {
                assertTrue(app.sync().sync("mercury").ok());
            }
            assertEquals(Warehouses.query(clean, Warehouses.USERS), Warehouses.query(direct, Warehouses.USERS),
                    "every user once, as a clean sync writes it");
            String cursors = "SELECT source, cursor FROM sync_state ORDER BY source";
            assertEquals(Warehouses.query(clean, cursors), Warehouses.query(direct, cursors));
            List<Long> changes = TestDatabases.rows(direct, "SELECT id FROM user_change ORDER BY id").stream()
                    .map(row -> (Long) row.get(0)).toList();
            assertEquals(changes, pushed(webhook), "every change once, in order, once repeats are dropped");
        }
    }

    private static Map<String, String> properties(String url, MercurySimulator mercury, WebhookReceiver webhook) {
        Map<String, String> properties = new HashMap<>(Warehouses.pointedAt(url, List.of(mercury)));
        properties.put("botsync.mercury.page-size", String.valueOf(PAGE_SIZE));
        properties.put("botsync.mercury.cron", "* * * * * ?");
        properties.put("botsync.push.crm.url", webhook.url());
        properties.put("botsync.push.crm.cron", "* * * * * ?");
        properties.put("botsync.push.crm.batch-size", "10"); // a JSON array of up to 10 changes a request
        properties.put("botsync.push.redelivery-delay", "100");
        return properties;
    }

    /** The logging a user of the jar has (the test classpath would pick logback-test.xml). */
    private static Map<String, String> productionLogging(Map<String, String> properties) {
        properties.put("logback.configurationFile", "src/main/resources/logback.xml");
        return properties;
    }

    private static boolean pushedAll(String url, WebhookReceiver webhook) {
        long changes = count(url, "SELECT COUNT(*) FROM user_change");
        return changes > 0 && pushed(webhook).size() == changes;
    }

    /** The change ids the webhook took, in order, a batch sent again under its idempotency key counted once. */
    private static List<Long> pushed(WebhookReceiver webhook) {
        Set<String> keys = new HashSet<>();
        List<Long> ids = new ArrayList<>();
        for (WebhookReceiver.Received batch : webhook.accepted()) {
            if (keys.add(batch.idempotencyKey())) {
                batch.body().forEach(change -> ids.add(change.path("change_id").asLong()));
            }
        }
        return ids;
    }

    private static String status(String url, long run) {
        try {
            return TestDatabases.rows(url, "SELECT status FROM sync_run WHERE id = " + run).get(0).get(0).toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String url, String sql) {
        try {
            Object value = TestDatabases.rows(url, sql).get(0).get(0);
            return value == null ? 0 : (Long) value;
        } catch (SQLException e) {
            return -1; // the schema may not exist yet while the service starts
        }
    }

    private HttpResponse<String> health(int port) {
        return health(port, "");
    }

    /** {@code /observe/health}, or its {@code /live} or {@code /ready} part. */
    private HttpResponse<String> health(int port, String part) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health" + part))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits at most a minute for the condition; the service's output is in the failure. */
    private static void await(BotsyncProcess run, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !run.alive()) {
                throw new AssertionError("not seen within a minute: " + what + "\n" + run.output());
            }
            Thread.sleep(200);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
