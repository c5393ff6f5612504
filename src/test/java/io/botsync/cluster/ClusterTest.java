package io.botsync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.botsync.BotsyncProcess;
import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sync.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three {@code run} nodes (JVMs of their own) on one PostgreSQL warehouse with {@code botsync.cluster.enabled}: 12
 * Mercury accounts on 2-second crons and a webhook push target on one. Each firing runs on one node, the runs spread
 * over the nodes, and the push rounds never overlap; a node killed with SIGKILL mid-sync has its accounts synced by
 * the others, and the warehouse ends as a single node's clean sync leaves it.
 */
class ClusterTest {

    private static final int NODES = 3;
    private static final int ACCOUNTS = 12;
    private static final int USERS = 200;
    private static final String CRON = "0/2 * * * * ?";
    /** A node's run, as its log says it starts. */
    private static final Pattern STARTED = Pattern.compile("(mercury-\\d+): \\w+ sync started \\(run (\\d+)\\)");
    private static final String USERS_SQL = "SELECT source, external_id, email, phone, first_name, last_name, display_name,"
            + " user_type, locale, created_at, updated_at, attributes, content_hash, deleted FROM crm_user ORDER BY source, external_id";

    private final MercurySimulator sim = new MercurySimulator(USERS, 19);
    private final List<String> accounts = IntStream.rangeClosed(1, ACCOUNTS).mapToObj(i -> "mercury-" + i).toList();
    private final List<BotsyncProcess> nodes = new ArrayList<>();
    /** Each node's management port, in the order of {@link #nodes}. */
    private final List<Integer> ports = new ArrayList<>();
    private final Map<String, AtomicInteger> idempotencyKeys = new ConcurrentHashMap<>();
    private final AtomicInteger overlappingPushes = new AtomicInteger();
    private final AtomicInteger pushesInFlight = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    private HttpServer webhook;

    @AfterEach
    void stop() throws InterruptedException {
        for (BotsyncProcess node : nodes) {
            node.kill();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
        sim.close();
    }

    @Test
    void eachFiringRunsOnceAndTheRunsSpreadOverTheNodes() throws Exception {
        String url = TestDatabases.freshPostgres();
        Map<String, String> properties = properties(url);
        for (int i = 0; i < NODES; i++) {
            nodes.add(node(properties));
        }
        Instant start = Instant.now();
        // users change all along, so that the accounts' page commits contend for the outbox's lock row; the test's
        // connection looks every 50 ms for commits waiting on it
        AtomicLong lockWaitMillis = new AtomicLong();
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
        try (Connection watcher = DriverManager.getConnection(url, TestDatabases.user(url), "")) {
            background.scheduleAtFixedRate(() -> sim.mutate(10, 0), 12, 1, TimeUnit.SECONDS);
            background.scheduleAtFixedRate(() -> lockWaitMillis.addAndGet(50 * waitingOnOutbox(watcher)), 0, 50,
                    TimeUnit.MILLISECONDS);
            Thread.sleep(30_000);
            background.shutdown(); // the last changes get synced and pushed in the 8 s left
            assertTrue(background.awaitTermination(5, TimeUnit.SECONDS));
            Thread.sleep(8_000);
        }
        await("the webhook target passed every change", () -> count(url, "SELECT COUNT(*) FROM push_position"
                + " WHERE target = 'crm' AND change_id = (SELECT MAX(id) FROM user_change)") == 1);
        BotsyncProcess status = BotsyncProcess.start(properties, "status");
        assertEquals(0, status.exitCode(), status.output());
        List<String> listed = status.output().lines().filter(line -> line.startsWith("node ")).toList();
        System.out.println("cluster: status lists\n" + String.join("\n", listed));
        assertEquals(NODES, listed.size(), "status lists every node:\n" + status.output());
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(0)
                + "/observe/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertEquals(NODES, page.split("<tr class=\"node\">", -1).length - 1, "the status page lists every node:\n" + page);
        for (BotsyncProcess node : nodes) {
            node.kill();
        }
        Duration ran = Duration.between(start, Instant.now());

        Map<String, String> nodeOfRun = runsByNode();
        List<Long> perNode = IntStream.range(0, NODES).mapToObj(i -> nodeOfRun.values().stream()
                .filter(n -> n.equals("node" + i)).count()).toList();
        long runs = count(url, "SELECT COUNT(*) FROM sync_run");
        double runSeconds = ((Number) TestDatabases.rows(url, "SELECT SUM(EXTRACT(EPOCH FROM finished_at - started_at))"
                + " FROM sync_run WHERE finished_at IS NOT NULL").get(0).get(0)).doubleValue();
        System.out.printf("cluster: %d runs in %d s over %d nodes: %s per node; %d push requests; page commits waited"
                        + " %.1f s on the outbox lock in %.1f s of runs (%.1f%%)%n", runs, ran.toSeconds(), NODES, perNode,
                idempotencyKeys.size(), lockWaitMillis.get() / 1000.0, runSeconds, 100 * lockWaitMillis.get() / 1000.0 / runSeconds);
        for (int i = 0; i < NODES; i++) {
            assertFalse(nodes.get(i).output().contains("skipped"), "no node fired a trigger another was running:\n" + nodes.get(i).output());
        }
        for (String account : accounts) {
            assertEquals(USERS, count(url, "SELECT COUNT(*) FROM crm_user WHERE source = '" + account + "'"), account + " synced");
            assertEquals(0, count(url, "SELECT COUNT(*) FROM crm_user u WHERE source = '" + account + "' AND NOT EXISTS"
                    + " (SELECT 1 FROM crm_user m WHERE m.source = 'mercury-1' AND m.external_id = u.external_id"
                    + " AND m.content_hash = u.content_hash)"), account + " has the simulator's last changes");
            // a trigger fired on every node at a scheduled time would give each account up to 3 runs a tick
            long ticks = ran.toSeconds() / 2 + 1;
            long accountRuns = count(url, "SELECT COUNT(*) FROM sync_run WHERE source = '" + account + "'");
            assertTrue(accountRuns <= ticks, account + ": " + accountRuns + " runs in " + ticks + " ticks");
            assertTrue(accountRuns >= 3, account + ": only " + accountRuns + " runs");
        }
        assertEquals(0, count(url, """
                SELECT COUNT(*) FROM sync_run a JOIN sync_run b ON a.source = b.source AND a.id < b.id
                WHERE b.started_at < a.finished_at"""), "no two runs of an account overlapped");
        assertEquals(runs, nodeOfRun.size(), "every run is in one node's log");
        // Quartz's acquisition is first come, first served, not fair: on a loaded machine a node whose JVM is slow may get
        // few firings or none (once: 0 of 198 while a build shared the 2 cores). The spread asked for: no node above 60%.
        for (long n : perNode) {
            assertTrue(n <= runs * 0.6, "runs per node " + perNode + " of " + runs);
        }
        assertTrue(perNode.stream().filter(n -> n > 0).count() >= 2, "the runs spread over the nodes: " + perNode);
        assertEquals(0, overlappingPushes.get(), "no two push rounds of the target ran at once");
        assertTrue(idempotencyKeys.values().stream().allMatch(c -> c.get() == 1), "each batch was delivered once: " + idempotencyKeys);
        assertTrue(delivered.get() >= USERS, "the webhook got mercury-1's users: " + delivered.get());
    }

    @Test
    void aNodeKilledMidSyncHasItsAccountsTakenOver() throws Exception {
        String url = TestDatabases.freshPostgres();
        sim.faults().before(request -> Thread.sleep(150)); // 10 pages of 20 an account: a first sync takes seconds
        Map<String, String> properties = properties(url);
        for (int i = 0; i < NODES; i++) {
            nodes.add(node(properties));
        }
        await("a node is mid-sync", () -> midSync(url) != null);
        Map.Entry<String, String> cut = midSync(url);
        String account = cut.getKey().split("#")[0];
        long cutRun = Long.parseLong(cut.getKey().split("#")[1]);
        int victim = Integer.parseInt(cut.getValue().substring("node".length()));
        nodes.get(victim).kill();
        Instant killed = Instant.now();

        await("another node syncs " + account, () -> count(url, "SELECT COUNT(*) FROM sync_run WHERE source = '" + account
                + "' AND id > " + cutRun) > 0);
        Instant resumed = (Instant) TestDatabases.rows(url, "SELECT MIN(started_at) FROM sync_run WHERE source = '"
                + account + "' AND id > " + cutRun).get(0).get(0);
        Duration failover = Duration.between(killed, resumed);
        System.out.printf("cluster: node%d killed mid-sync of %s (run %d); another node started it %d ms later%n",
                victim, account, cutRun, failover.toMillis());
        // the survivors see it gone once it missed its check-in (2 s) by Quartz's 7.5 s grace; its blocked trigger then
        // fires at its next 2-second tick, or at once when it is later than the misfire threshold (2 s)
        assertTrue(failover.compareTo(Duration.ofSeconds(2 + 8 + 2 + 2 + 3)) < 0, "failover took " + failover);

        sim.faults().before(null);
        await("every account synced", () -> count(url, "SELECT COUNT(*) FROM crm_user") == (long) ACCOUNTS * USERS
                && count(url, "SELECT COUNT(*) FROM sync_run WHERE status = 'running'") == 0);
        assertEquals(1, count(url, "SELECT COUNT(*) FROM sync_run WHERE id = " + cutRun
                + " AND status = 'failed' AND error LIKE 'interrupted%'"), "the killed node's run was closed as interrupted");
        for (BotsyncProcess node : nodes) {
            node.kill();
        }

        // a node started with an account gone from routes/ and another's cron changed leaves no stale trigger
        Map<String, String> changed = new HashMap<>(properties);
        List<String> kept = accounts.subList(0, ACCOUNTS - 1);
        changed.keySet().removeIf(key -> key.startsWith("botsync.mercury-12."));
        changed.put("botsync.accounts", String.join(",", kept));
        changed.put("botsync.routes.dir", routes(kept).toString());
        changed.put("botsync.mercury-1.cron", "0/3 * * * * ?");
        nodes.add(node(changed));
        await("the job store has the routes' triggers as they are now", () -> count(url, "SELECT COUNT(*) FROM botsync_qrtz_cron_triggers"
                + " WHERE trigger_name = 'sync-mercury-1' AND cron_expression = '0/3 * * * * ?'") == 1
                && count(url, "SELECT COUNT(*) FROM botsync_qrtz_triggers WHERE trigger_name = 'sync-mercury-12'") == 0);
        nodes.get(nodes.size() - 1).kill();

        String clean = TestDatabases.freshPostgres();
        try (Application app = Application.start(single(clean))) {
            for (String each : accounts) {
                RunResult result = app.sync().sync(each);
                assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
            }
        }
        assertEquals(TestDatabases.rows(clean, USERS_SQL), TestDatabases.rows(url, USERS_SQL),
                "the cluster's users equal a clean single-node sync's: none lost or doubled");
        // the nodes were killed, so some scans were cut short: the next sync of each goes on from its committed cursor
        try (Application app = Application.start(single(url))) {
            for (String each : accounts) {
                RunResult result = app.sync().sync(each);
                assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
            }
        }
        assertEquals(TestDatabases.rows(clean, USERS_SQL), TestDatabases.rows(url, USERS_SQL));
        assertEquals(TestDatabases.rows(clean, "SELECT source, cursor FROM sync_state ORDER BY source"),
                TestDatabases.rows(url, "SELECT source, cursor FROM sync_state ORDER BY source"), "every cursor is a clean sync's");
    }

    @Test
    void aNodeStoppedWithSigtermExitsAndTheOthersGoOn() throws Exception {
        String url = TestDatabases.freshPostgres();
        Map<String, String> properties = properties(url);
        nodes.add(node(properties));
        nodes.add(node(properties));
        await("both nodes synced", () -> runsByNode().containsValue("node0") && runsByNode().containsValue("node1"));
        nodes.get(0).terminate();
        assertEquals(143, nodes.get(0).exitCode(), "the node exits by itself after SIGTERM:\n" + nodes.get(0).output());
        long before = count(url, "SELECT COUNT(*) FROM sync_run WHERE source = 'mercury-1'");
        await("the other node goes on syncing", () -> count(url, "SELECT COUNT(*) FROM sync_run WHERE source = 'mercury-1'") > before + 2);
    }

    @Test
    void clusteringAnH2WarehouseIsRefusedAtStartUp() throws Exception {
        Map<String, String> properties = properties(TestDatabases.freshH2());
        BotsyncProcess run = node(properties);
        nodes.add(run);
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("botsync.cluster.enabled is true, which needs a PostgreSQL warehouse"), run.output());
    }

    /** The properties of a one-shot command (no cluster) on the warehouse at {@code url}. */
    private Map<String, String> single(String url) throws IOException {
        Map<String, String> single = properties(url);
        single.remove("botsync.cluster.enabled");
        return single;
    }

    private Map<String, String> properties(String url) throws IOException {
        Map<String, String> properties = new HashMap<>();
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        properties.put("botsync.cluster.enabled", "true");
        properties.put("botsync.cluster.checkin-interval", "2s");
        properties.put("botsync.cluster.misfire-threshold", "2s");
        properties.put("botsync.accounts", String.join(",", accounts));
        for (String account : accounts) {
            properties.putAll(sim.sourceProperties(account));
            properties.put("botsync." + account + ".platform", "mercury");
            properties.put("botsync." + account + ".page-size", "20");
            properties.put("botsync." + account + ".cron", CRON);
        }
        properties.put("botsync.routes.dir", routes(accounts).toString());
        properties.put("botsync.push.crm.url", webhook() + "/hook");
        properties.put("botsync.push.crm.sources", "mercury-1");
        properties.put("botsync.push.crm.batch-size", "500");
        properties.put("botsync.push.crm.cron", CRON);
        properties.put("botsync.import.inbox", Files.createTempDirectory("botsync-inbox").toString());
        return properties;
    }

    /** The shipped sync template, error handling and webhook target, and the 12 accounts on the template. */
    private static Path routes(List<String> accounts) throws IOException {
        Path dir = Files.createTempDirectory("botsync-cluster-routes");
        for (String file : List.of("sync-account.yaml", "error-handling.yaml", "push-crm.yaml")) {
            Files.copy(Path.of("routes", file), dir.resolve(file));
        }
        StringBuilder yaml = new StringBuilder();
        for (String account : accounts) {
            yaml.append("""
                    - templatedRoute:
                        routeTemplateRef: sync-account
                        routeId: sync-%1$s
                        parameters:
                          - name: account
                            value: %1$s
                          - name: platform
                            value: mercury
                          - name: cron
                            value: "{{botsync.%1$s.cron}}"
                    """.formatted(account));
        }
        Files.writeString(dir.resolve("accounts.yaml"), yaml);
        return dir;
    }

    /** A webhook that counts each Idempotency-Key it receives and notes two requests at once. */
    private String webhook() {
        if (webhook == null) {
            try {
                webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            webhook.createContext("/hook", exchange -> {
                if (pushesInFlight.incrementAndGet() > 1) {
                    overlappingPushes.incrementAndGet();
                }
                try {
                    JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody());
                    delivered.addAndGet(body.isArray() ? body.size() : 1);
                    idempotencyKeys.computeIfAbsent(exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                            key -> new AtomicInteger()).incrementAndGet();
                    sleepQuietly(20);
                    exchange.sendResponseHeaders(200, -1);
                } finally {
                    pushesInFlight.decrementAndGet();
                    exchange.close();
                }
            });
            webhook.start();
        }
        return "http://127.0.0.1:" + webhook.getAddress().getPort();
    }

    private BotsyncProcess node(Map<String, String> properties) throws IOException {
        Map<String, String> own = new LinkedHashMap<>(properties);
        try (ServerSocket socket = new ServerSocket(0)) {
            own.put("camel.management.port", String.valueOf(socket.getLocalPort()));
            ports.add(socket.getLocalPort());
        }
        return BotsyncProcess.start(own, "run");
    }

    /** Each run the nodes' logs say they started ("account#run"), with the node that started it. */
    private Map<String, String> runsByNode() {
        Map<String, String> runs = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Matcher started = STARTED.matcher(nodes.get(i).output());
            while (started.find()) {
                runs.put(started.group(1) + "#" + started.group(2), "node" + i);
            }
        }
        return runs;
    }

    /** A run a node started that is still going, with its node; null when there is none. */
    private Map.Entry<String, String> midSync(String url) {
        return runsByNode().entrySet().stream().filter(run -> count(url, "SELECT COUNT(*) FROM sync_run WHERE status = 'running'"
                + " AND fetched > 0 AND id = " + run.getKey().split("#")[1]) == 1).findFirst().orElse(null);
    }

    /** The page commits waiting for the outbox's lock row ({@code user_change_writer}) right now. */
    private static long waitingOnOutbox(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND wait_event_type = 'Lock' AND query LIKE '%user_change_writer%'")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            return 0; // the schema may not exist yet
        }
    }

    private static long count(String url, String sql) {
        try {
            Object value = TestDatabases.rows(url, sql).get(0).get(0);
            return value == null ? 0 : ((Number) value).longValue();
        } catch (SQLException e) {
            return -1; // the schema may not exist yet while the nodes start
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within 90 s: " + what);
            }
            sleepQuietly(100);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
