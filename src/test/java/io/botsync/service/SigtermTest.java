package io.botsync.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.RoutesWithSteps;
import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sync.RunResult;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run} in a JVM of its own, stopped with SIGTERM in the middle of a slow sync: the page in flight is committed
 * or not at all, the run is closed as stopped, the process exits by itself, and the next run finishes the scan. The sync
 * route has ops' kind of steps between its stages ({@link RoutesWithSteps}).
 */
class SigtermTest {

    private static final int USERS = 1_000;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void sigtermMidSyncCommitsWholePagesClosesTheRunAndExits(String kind) throws Exception {
        String url = TestDatabases.fresh(kind);
        try (MercurySimulator sim = new MercurySimulator(USERS, 11)) {
            sim.beforePage(query -> sleep(150)); // 20 pages of 50: a few seconds of sync
            long committed = sigtermMidSync(url, sim, () -> sim.pageRequests() >= 4);

            sim.beforePage(query -> { });
            RunResult rest = syncAgain(url, sim);
            assertEquals(USERS - committed, rest.counts().inserted(), "the next run goes on from the last committed page");
            assertEquals(USERS, count(url, "SELECT COUNT(*) FROM crm_user"));
        }
    }

    /** Instabot's pages are fetched ahead, 4 at once: the ones in flight at SIGTERM are dropped, none half written. */
    @Test
    void sigtermWhilePagesAreFetchedAheadCommitsWholePagesAndExits() throws Exception {
        String url = TestDatabases.fresh("h2");
        try (InstabotSimulator sim = new InstabotSimulator(USERS * 3, 12)) {
            sim.faults().before(request -> Thread.sleep(400)); // 32 pages of 100, 4 at a time: about 3 s
            long committed = sigtermMidSync(url, sim, () -> sim.faults().requests() >= 8);
            assertEquals(4, sim.faults().mostInFlight(), "pages were fetched ahead");

            sim.faults().before(null);
            RunResult rest = syncAgain(url, sim);
            // a full scan cut short starts over (Instabot documents no order to resume in): the rest is inserted now
            assertEquals(USERS * 3 - committed, rest.counts().inserted(), "each user stored once");
            assertEquals(USERS * 3, count(url, "SELECT COUNT(*) FROM crm_user"));
        }
    }

    /**
     * Starts {@code run} against the simulator with a sync every second, SIGTERMs it once {@code fewPages} holds, and
     * checks what it left: whole pages, their counts, the run closed as stopped.
     *
     * @return the users committed
     */
    private static long sigtermMidSync(String url, PlatformSimulator sim, BooleanSupplier fewPages) throws Exception {
        String source = sim.platform();
        Map<String, String> properties = properties(url, sim);
        properties.put("botsync." + source + ".cron", "* * * * * ?");
        properties.put("botsync.routes.dir", RoutesWithSteps.create(Files.createTempDirectory("botsync-tap")).toString());
        try (ServerSocket socket = new ServerSocket(0)) {
            properties.put("camel.management.port", String.valueOf(socket.getLocalPort()));
        }
        Process run = botsync(properties, "run");
        try {
            // the simulator's count, not the warehouse's: an H2 file is the service's alone while it runs
            ServiceFixture.await("the service has fetched a few pages", fewPages);
            run.destroy(); // SIGTERM
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the service exits by itself after SIGTERM");
        } finally {
            run.destroyForcibly();
        }
        assertEquals(143, run.exitValue(), "the JVM ends as a SIGTERM'd process does");

        long committed = count(url, "SELECT COUNT(*) FROM crm_user");
        assertTrue(committed >= 100 && committed < sim.userCount(), "the scan was cut short after a few pages: " + committed);
        assertEquals(committed, count(url, "SELECT SUM(inserted) FROM sync_run"), "counts and rows were committed together");
        assertEquals(0, count(url, "SELECT COUNT(*) FROM sync_run WHERE status = 'running'"), "no run is left running");
        assertEquals(1, count(url, "SELECT COUNT(*) FROM sync_run WHERE status = 'failed' AND error LIKE '%stopped before the pass completed%'"));
        return committed;
    }

    private static RunResult syncAgain(String url, PlatformSimulator sim) {
        try (Application app = Application.start(properties(url, sim))) {
            RunResult rest = app.sync().sync(sim.platform());
            assertEquals(RunResult.Status.SUCCEEDED, rest.status(), rest.summary());
            assertEquals(0, rest.counts().deleted());
            return rest;
        }
    }

    private static Map<String, String> properties(String url, PlatformSimulator sim) {
        Map<String, String> properties = new HashMap<>(sim.sourceProperties(sim.platform()));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        return properties;
    }

    private static Process botsync(Map<String, String> properties, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                new File(System.getProperty("java.home"), "bin/java").getPath(), "-cp", System.getProperty("java.class.path")));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("io.botsync.cli.Botsync");
        command.addAll(List.of(args));
        File log = Files.createTempFile("botsync-sigterm", ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static long count(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, TestDatabases.user(url), "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            return -1; // the schema may not exist yet while the service starts
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
