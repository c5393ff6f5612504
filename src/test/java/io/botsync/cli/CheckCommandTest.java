package io.botsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.sim.instabot.InstabotSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code botsync check}: ops' settings, route files and mappings checked as start-up checks them, without the
 * warehouse or any platform: exit 0 when all are good, 2 naming the file and what is wrong.
 */
class CheckCommandTest {

    private final InstabotSimulator instabot = new InstabotSimulator(10, 3);
    private final Path dir = Files.createTempDirectory("botsync-check");
    private final Path routes = Files.createDirectories(dir.resolve("routes"));
    private final Path mappings = Files.createDirectories(dir.resolve("mappings"));
    private final Path h2File = dir.resolve("warehouse.mv.db");
    private final Map<String, String> properties = new HashMap<>(instabot.sourceProperties("instabot"));

    CheckCommandTest() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.createDirectories(mappings.resolve("push"));
        Files.copy(Path.of("mappings", "instabot.jslt"), mappings.resolve("instabot.jslt"));
        Files.copy(Path.of("mappings", "push", "hubspot.jslt"), mappings.resolve("push/hubspot.jslt"));
        properties.put("botsync.warehouse.url", "jdbc:h2:file:" + dir.resolve("warehouse"));
        properties.put("botsync.routes.dir", routes.toString());
        properties.put("botsync.mappings.dir", mappings.toString());
    }

    @AfterEach
    void close() {
        instabot.close();
    }

    private CommandLineRun check() {
        return CommandLineRun.with(properties, "check");
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void aGoodConfigurationExitsZeroAndTouchesNeitherTheWarehouseNorAPlatform() {
        CommandLineRun run = check();

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("settings: good"), run.out());
        assertTrue(run.out().contains("routes: good (9 files, file:" + routes + "/*.yaml"), run.out());
        assertTrue(run.out().contains("mappings: good (") && run.out().contains(mappings.resolve("instabot.jslt").toString())
                && run.out().contains(mappings.resolve("push/hubspot.jslt").toString())
                && run.out().contains("(built-in) mappings/mercury.jslt"), run.out());
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(Files.exists(h2File), "check creates no warehouse");
        assertEquals(0, instabot.requests().size(), "check calls no platform: " + instabot.requests());
    }

    @Test
    void aPostgreSqlWarehouseThatDoesNotExistIsNotConnectedTo() throws Exception {
        String database = "botsync_check_never_created";
        properties.put("botsync.warehouse.url", TestDatabases.POSTGRES_ADMIN_URL.replaceAll("/[^/]*$", "/" + database));
        properties.put("botsync.warehouse.user", TestDatabases.POSTGRES_USER);

        CommandLineRun run = check();

        assertEquals(0, run.exitCode(), "a command that connected would fail on the missing database: " + run.err());
        try (Connection admin = DriverManager.getConnection(TestDatabases.POSTGRES_ADMIN_URL, TestDatabases.POSTGRES_USER, "");
             PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                assertFalse(rows.next());
            }
        }
    }

    @Test
    void anUnknownOptionInARouteFileExitsTwoNamingTheFileAndTheOption() throws IOException {
        edit(routes.resolve("sync-account.yaml"), "          pagesInFlight:", "          pagesInFlite: \"8\"\n          pagesInFlight:");

        CommandLineRun run = check();

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("sync-account.yaml") && run.err().contains("pagesInFlite"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        assertFalse(Files.exists(h2File));
    }

    @Test
    void aBadValueOfAKnownOptionExitsTwo() throws IOException {
        edit(routes.resolve("sync-account.yaml"), "          pagesInFlight: \"{{botsync.pipeline.pages-in-flight}}\"",
                "          pagesInFlight: \"0\"");

        CommandLineRun run = check();

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("pagesInFlight=0") && run.err().contains("set 1 or more"), run.err());
    }

    @Test
    void everyBrokenMappingExitsTwoNamingItsFileAndLineEvenOneNoRouteUsesYet() throws IOException {
        edit(mappings.resolve("instabot.jslt"), "\"email\": .email,", "\"email\": .email +,");
        Files.writeString(mappings.resolve("push/crm.jslt"), "{\n  \"email\": .email +,\n}\n");

        CommandLineRun run = check();

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(mappings.resolve("instabot.jslt") + " at line "), run.err());
        assertTrue(run.err().contains(mappings.resolve("push/crm.jslt") + " at line 2"), run.err());
        assertFalse(Files.exists(h2File));
    }

    @Test
    void aBadSettingExitsTwoNamingTheKey() {
        properties.put("botsync.instabot.lookback", "forever");

        CommandLineRun run = check();

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("botsync.instabot.lookback is 'forever'"), run.err());
    }
}
