package io.botsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.BotsyncProcess;
import io.botsync.TestDatabases;
import io.botsync.sim.instabot.InstabotSimulator;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * botsync's logs as ops read them, from a process of its own with the shipped logback.xml: every line dated, a run's
 * lines naming the source and the run (on the run's thread and the writer's), JSON with BOTSYNC_LOG_FORMAT=json,
 * progress lines with the last interval's rate and how far the pass is, and {@code run}'s start and stop lines.
 */
class LogsTest {

    private static final Pattern PROGRESS = Pattern.compile(
            "instabot: \\d+ users so far, \\d+ users/s in the last \\d+\\.\\d s; \\d{1,2}% of about \\d+, about \\d+ s left");
    private static final Pattern TEXT_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) (TRACE|DEBUG|INFO |WARN |ERROR) .*");

    private final InstabotSimulator instabot = new InstabotSimulator(3000, 11);
    private final Map<String, String> properties = new HashMap<>(instabot.sourceProperties("instabot"));

    LogsTest() {
        properties.put("botsync.warehouse.url", TestDatabases.freshH2());
        properties.put("logback.configurationFile", "logback.xml"); // the shipped one, not the tests' logback-test.xml
    }

    @AfterEach
    void close() {
        instabot.close();
    }

    @Test
    void jsonLogsAreOneObjectALineAndARunsLinesNameItsSourceAndRun() throws Exception {
        properties.put("BOTSYNC_LOG_FORMAT", "json");
        properties.put("botsync.progress.interval", "1"); // a progress line after every page (1 ms)
        BotsyncProcess sync = BotsyncProcess.startWithLogsApart(properties, "sync", "instabot");

        assertEquals(0, sync.exitCode(), sync.output() + sync.logs());
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : sync.logs().lines().toList()) {
            JsonNode parsed = json.readTree(line); // throws on a line that is not JSON
            assertTrue(parsed.isObject() && parsed.get("timestamp").isNumber() && parsed.has("level")
                    && parsed.has("loggerName") && parsed.has("formattedMessage"), line);
            lines.add(parsed);
        }
        List<JsonNode> progress = lines.stream().filter(l -> l.get("loggerName").asText().endsWith(".Progress")).toList();
        assertTrue(progress.size() > 5, "a line a page: " + sync.logs());
        assertTrue(progress.stream().anyMatch(l -> PROGRESS.matcher(l.get("formattedMessage").asText()).matches()),
                "the rate of the last interval, how far and how long is left: " + progress);
        for (String logger : new String[] {"io.botsync.sync.SourceRun", "io.botsync.sync.Progress", "io.botsync.identity.Contacts"}) {
            List<JsonNode> ofRun = lines.stream().filter(l -> l.get("loggerName").asText().equals(logger)).toList();
            assertTrue(!ofRun.isEmpty(), logger + " logged: " + sync.logs());
            for (JsonNode line : ofRun) {
                assertEquals("instabot", line.path("mdc").path("source").asText(), line.toString());
                assertEquals("1", line.path("mdc").path("run").asText(), line.toString());
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.get("loggerName").asText().equals("io.botsync.identity.Contacts")
                && l.get("threadName").asText().contains("botsync-write")), "the writer's thread names the run too");
        assertTrue(sync.output().startsWith("instabot: succeeded (full) fetched="), "stdout is the command's: " + sync.output());
    }

    @Test
    void runSaysWhatItStartedAndThatItStoppedOnDatedLines() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        properties.put("camel.management.port", String.valueOf(port));
        properties.put("camel.management.host", "127.0.0.1");
        properties.put("botsync.instabot.cron", "* * * * * ?");
        BotsyncProcess run = BotsyncProcess.startWithLogsApart(properties, "run");
        try {
            await(() -> run.logs().contains("[instabot run 1] - instabot: succeeded"), run);
            run.terminate();
            assertEquals(143, run.exitCode(), "SIGTERM'd");
        } finally {
            run.kill();
        }

        String logs = run.logs();
        assertTrue(logs.contains(" INFO  RunCommand - botsync started: health and metrics on 127.0.0.1:" + port
                + " (/observe/health, /observe/metrics); accounts scheduled: instabot (* * * * * ?); push targets: none\n"), logs);
        assertTrue(logs.matches("(?s).* INFO  RunCommand - botsync stopped after \\d+h\\d+m\\d+s\n$"), "the last line: " + logs);
        assertTrue(logs.contains(" INFO  SourceRun [instabot run 1] - instabot: full sync started (run 1)"), logs);
        for (String line : logs.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))
                && !l.startsWith("Caused by")).toList()) {
            assertTrue(TEXT_LINE.matcher(line).matches(), "dated: " + line);
        }
    }

    private static void await(BooleanSupplier condition, BotsyncProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L; // only so that a broken build ends
        while (!condition.getAsBoolean()) {
            assertTrue(process.alive() && System.nanoTime() < deadline, "not seen:\n" + process.logs());
            Thread.sleep(100);
        }
    }
}
