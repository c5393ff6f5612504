package io.botsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.sim.instabot.InstabotSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bad route or mapping file stops {@code run} before anything is scheduled: exit 2, the file and what is wrong. */
class RunConfigErrorsTest {

    private final InstabotSimulator instabot = new InstabotSimulator(20, 8);
    private final Path dir;
    private final Path routes;
    private final Path mappings;
    private final Map<String, String> properties = new HashMap<>();

    RunConfigErrorsTest() throws IOException {
        dir = Files.createTempDirectory("botsync-run-errors");
        routes = Files.createDirectories(dir.resolve("routes"));
        mappings = Files.createDirectories(dir.resolve("mappings"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        properties.putAll(instabot.sourceProperties("instabot"));
        properties.put("botsync.warehouse.url", TestDatabases.freshH2());
        properties.put("botsync.routes.dir", routes.toString());
        properties.put("botsync.mappings.dir", mappings.toString());
        properties.put("camel.management.port", "0");
    }

    @AfterEach
    void close() {
        instabot.close();
    }

    private CommandLineRun run(String... args) {
        return CommandLineRun.with(properties, args);
    }

    private void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void aManagementPortAnotherProgramHoldsStopsRunNamingTheKey() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            properties.put("camel.management.port", String.valueOf(taken.getLocalPort()));
            CommandLineRun run = run("run");
            assertEquals(Botsync.BAD_CONFIG, run.exitCode(), run.err());
            assertTrue(run.err().startsWith("botsync: camel.management.port " + taken.getLocalPort() + " cannot be listened on")
                    && run.err().contains("CAMEL_MANAGEMENT_PORT"), run.err());
        }
    }

    @Test
    void aRouteFileThatIsNotYaml() throws IOException {
        edit(routes.resolve("accounts.yaml"), "    routeId: sync-stepchat\n", "    routeId: [sync-stepchat\n");
        CommandLineRun run = run("run");
        assertEquals(Botsync.BAD_CONFIG, run.exitCode(), run.err());
        assertTrue(run.err().contains("accounts.yaml"), run.err());
    }

    @Test
    void aRouteFileWithAStepCamelDoesNotKnow() throws IOException {
        edit(routes.resolve("sync-account.yaml"), "          - to: ", "          - tooo: ");
        CommandLineRun run = run("run");
        assertEquals(Botsync.BAD_CONFIG, run.exitCode(), run.err());
        assertTrue(run.err().contains("sync-account.yaml") && run.err().contains("tooo"), run.err());
    }

    @Test
    void anAccountOfAnUnknownPlatform() throws IOException {
        edit(routes.resolve("accounts.yaml"), "        value: mercury\n      - name: cron", "        value: mercurius\n      - name: cron");
        CommandLineRun run = run("run");
        assertEquals(Botsync.BAD_CONFIG, run.exitCode(), run.err());
        assertTrue(run.err().contains("accounts.yaml") && run.err().contains("unknown platform 'mercurius'"), run.err());
    }

    @Test
    void anUnknownEndpointOptionStopsRunAndSyncNamingTheOptionAndTheFile() throws IOException {
        edit(routes.resolve("sync-account.yaml"), "          pagesInFlight:", "          pagesInFlite: \"8\"\n          pagesInFlight:");
        for (String command : new String[] {"run", "sync"}) {
            CommandLineRun run = run(command);
            assertEquals(Botsync.BAD_CONFIG, run.exitCode(), run.err());
            assertTrue(run.err().contains("sync-account.yaml") && run.err().contains("pagesInFlite"), run.err());
            assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
        }
    }

    @Test
    void anOutboundMappingWithASyntaxErrorStopsRunAndPushNamingTheFile() throws IOException {
        Files.createDirectories(mappings.resolve("push"));
        Files.writeString(mappings.resolve("push/crm.jslt"), "{\n  \"email\": .email +,\n}\n");
        properties.put("botsync.push.crm.url", "http://127.0.0.1:9/hook");
        for (String command : new String[] {"run", "push"}) {
            CommandLineRun run = run(command);
            assertEquals(Botsync.BAD_CONFIG, run.exitCode(), run.err());
            assertTrue(run.err().contains(mappings.resolve("push/crm.jslt") + " at line 2"), run.err());
        }
    }

    @Test
    void aMappingWithASyntaxErrorStopsRunAndSync() throws IOException {
        String text = Files.readString(Path.of("mappings", "instabot.jslt"));
        Files.writeString(mappings.resolve("instabot.jslt"), text.replace("\"email\": .email,", "\"email\": .email +,"));
        int line = text.substring(0, text.indexOf("\"email\": .email,")).split("\n", -1).length;
        for (String command : new String[] {"run", "sync"}) {
            CommandLineRun run = run(command);
            assertEquals(Botsync.BAD_CONFIG, run.exitCode(), run.err());
            assertTrue(run.err().contains(mappings.resolve("instabot.jslt") + " at line " + line + ", column"), run.err());
        }
    }
}
