package io.botsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.TestDatabases;
import io.botsync.sim.instabot.InstabotSimulator;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code status} as a monitor reads it: exit 0 while every source is fine, 1 when a source's last run failed or it is
 * late by its schedule, the same as JSON with {@code --json}; and it reads a warehouse without ever creating one.
 */
class StatusTest {

    private final InstabotSimulator instabot = new InstabotSimulator(30, 5);
    private final Path dir = Files.createTempDirectory("botsync-status");
    private final String url = "jdbc:h2:file:" + dir.resolve("warehouse");
    private final Map<String, String> properties = new HashMap<>(instabot.sourceProperties("instabot"));

    StatusTest() throws Exception {
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.instabot.cron", "0 0/15 * * * ?");
    }

    @AfterEach
    void close() {
        instabot.close();
    }

    private CommandLineRun run(String... args) {
        return CommandLineRun.with(properties, args);
    }

    private JsonNode json() throws Exception {
        CommandLineRun status = run("status", "--json");
        return ((com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(status.out())).put("exit_code", status.exitCode());
    }

    private static JsonNode source(JsonNode report, String name) {
        for (JsonNode source : report.get("sources")) {
            if (source.get("source").asText().equals(name)) {
                return source;
            }
        }
        throw new AssertionError("no source " + name + " in " + report.toPrettyString());
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", ""); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void aSyncedSourceIsOkAndExitsZeroAsTextAndAsJson() throws Exception {
        assertEquals(0, run("sync", "instabot").exitCode());

        CommandLineRun status = run("status");
        assertEquals(0, status.exitCode(), status.out() + status.err());
        assertTrue(status.out().contains("  state: ok (schedule 0 0/15 * * * ?; last successful sync "), status.out());
        assertTrue(status.out().strip().endsWith("every source ok"), status.out());

        JsonNode report = json();
        assertEquals(0, report.get("exit_code").asInt());
        assertTrue(report.get("ok").asBoolean(), report.toPrettyString());
        JsonNode instabot = source(report, "instabot");
        assertEquals("ok", instabot.get("state").asText());
        assertEquals("succeeded", instabot.get("last_run").get("status").asText());
        assertEquals(30, instabot.get("last_run").get("inserted").asInt());
        assertEquals(30, instabot.get("users").asInt());
        assertEquals("0 0/15 * * * ?", instabot.get("schedules").get(0).asText());
        assertTrue(instabot.get("cursor").isObject(), "the cursor as the JSON it is: " + instabot);
        assertEquals("never synced", source(report, "stepchat").get("state").asText());
        assertFalse(source(report, "stepchat").get("configured").asBoolean());
    }

    @Test
    void aSourceWhoseLastRunFailedExitsOne() throws Exception {
        assertEquals(0, run("sync", "instabot").exitCode());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing answers there
        }
        properties.put("botsync.instabot.base-url", "http://127.0.0.1:" + port);
        properties.put("botsync.http.max-attempts", "1");
        assertEquals(1, run("sync", "instabot").exitCode());

        CommandLineRun status = run("status");
        assertEquals(1, status.exitCode(), status.out() + status.err());
        assertTrue(status.out().contains("  state: failed: the last run that finished failed"), status.out());
        assertTrue(status.out().strip().endsWith("not ok: instabot failed"), status.out());
        JsonNode report = json();
        assertEquals(1, report.get("exit_code").asInt());
        assertFalse(report.get("ok").asBoolean());
        assertEquals("failed", source(report, "instabot").get("state").asText());
        assertTrue(source(report, "instabot").get("last_run").get("error").asText().contains("instabot"), report.toPrettyString());
    }

    @Test
    void aSourceWithoutASuccessForTwoFiringsOfItsScheduleIsLate() throws Exception {
        assertEquals(0, run("sync", "instabot").exitCode());
        // the last success 31 minutes ago: the 15-minute schedule has fired twice since
        sql("UPDATE sync_run SET started_at = DATEADD(MINUTE, -32, CURRENT_TIMESTAMP),"
                + " finished_at = DATEADD(MINUTE, -31, CURRENT_TIMESTAMP)");

        CommandLineRun status = run("status");
        assertEquals(1, status.exitCode(), status.out() + status.err());
        assertTrue(status.out().contains("  state: late (schedule 0 0/15 * * * ?; last successful sync "), status.out());
        assertTrue(status.out().contains(", late since "), status.out());
        assertTrue(status.out().strip().endsWith("not ok: instabot late"), status.out());
        assertEquals("late", source(json(), "instabot").get("state").asText());

        properties.put("botsync.instabot.cron", "0 0 3 * * ?"); // daily: a success 31 minutes ago is on time
        CommandLineRun daily = run("status");
        assertEquals(0, daily.exitCode(), daily.out() + daily.err());
        assertTrue(daily.out().contains("  state: ok (schedule 0 0 3 * * ?"), daily.out());
    }

    @Test
    void readOnlyCommandsNeverCreateAWarehouse() {
        Path file = dir.resolve("warehouse.mv.db");
        for (String[] command : new String[][] {{"status"}, {"status", "--json"}, {"contacts", "show", "ann@example.com"},
                {"sync", "instabot", "--dry-run"}, {"contacts", "rebuild", "--dry-run"}}) {
            CommandLineRun run = run(command);
            assertEquals(2, run.exitCode(), String.join(" ", command) + ": " + run.out() + run.err());
            assertTrue(run.err().startsWith("botsync: there is no warehouse at " + url + " yet: this command reads one and"
                    + " never creates it. Check botsync.warehouse.url"), run.err());
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
            assertFalse(Files.exists(file), String.join(" ", command) + " created " + file);
        }
        assertEquals(0, run("sync", "instabot").exitCode(), "a command that writes creates it");
        assertTrue(Files.exists(file));
        assertEquals(0, run("status").exitCode());
    }
}
