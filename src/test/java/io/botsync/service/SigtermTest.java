package io.botsync.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.RoutesWithSteps;
import io.botsync.TestDatabases;
import io.botsync.cli.Application;
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
            Map<String, String> properties = new HashMap<>(sim.sourceProperties("mercury"));
            properties.put("botsync.warehouse.url", url);
            properties.put("botsync.warehouse.user", TestDatabases.user(url));
            properties.put("botsync.mercury.cron", "* * * * * ?");
            properties.put("botsync.routes.dir", RoutesWithSteps.create(Files.createTempDirectory("botsync-tap")).toString());
            try (ServerSocket socket = new ServerSocket(0)) {
                properties.put("camel.management.port", String.valueOf(socket.getLocalPort()));
            }
            Process run = botsync(properties, "run");
            try {
                // the simulator's count, not the warehouse's: an H2 file is the service's alone while it runs
                ServiceFixture.await("the service has fetched a few pages", () -> sim.pageRequests() >= 4);
                run.destroy(); // SIGTERM
                assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the service exits by itself after SIGTERM");
            } finally {
                run.destroyForcibly();
            }
            assertEquals(143, run.exitValue(), "the JVM ends as a SIGTERM'd process does");

            long committed = count(url, "SELECT COUNT(*) FROM crm_user");
            assertTrue(committed >= 100 && committed < USERS, "the scan was cut short after a few pages: " + committed);
            assertEquals(committed, count(url, "SELECT SUM(inserted) FROM sync_run"), "counts and rows were committed together");
            assertEquals(0, count(url, "SELECT COUNT(*) FROM sync_run WHERE status = 'running'"), "no run is left running");
            assertEquals(1, count(url, "SELECT COUNT(*) FROM sync_run WHERE status = 'failed' AND error LIKE '%stopped before the pass completed%'"));

            sim.beforePage(query -> { });
            properties.remove("camel.management.port");
            try (Application app = Application.start(properties)) {
                RunResult rest = app.sync().sync("mercury");
                assertEquals(RunResult.Status.SUCCEEDED, rest.status(), rest.summary());
                assertEquals(USERS - committed, rest.counts().inserted(), "the next run goes on from the last committed page");
                assertEquals(0, rest.counts().deleted());
            }
            assertEquals(USERS, count(url, "SELECT COUNT(*) FROM crm_user"));
        }
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
