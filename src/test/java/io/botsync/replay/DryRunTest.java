package io.botsync.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.CommandLineRunner;
import io.botsync.sim.mercury.MercurySimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --dry-run} of sync, replay and import, from the command line: each prints the changes it would make and
 * leaves the H2 warehouse byte-for-byte as it was (H2's SCRIPT, identity counters included).
 */
class DryRunTest {

    private final MercurySimulator sim = new MercurySimulator(120, 5);
    private final String url = TestDatabases.freshH2();
    private Map<String, String> properties;

    @BeforeEach
    void configure() {
        properties = new java.util.HashMap<>(sim.sourceProperties("mercury"));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.mercury.page-size", "25");
        properties.forEach(System::setProperty);
    }

    @AfterEach
    void clear() {
        properties.keySet().forEach(System::clearProperty);
        System.clearProperty("botsync.mappings.dir");
        sim.close();
    }

    @Test
    void aDryRunOfSyncReplayAndImportPrintsItsChangesAndLeavesTheDatabaseUnchanged() throws Exception {
        assertEquals(0, CommandLineRunner.run("sync", "mercury").exitCode());
        String removed = sim.remove(3);
        sim.mutate(4, 2);
        String before = Warehouses.h2Dump(url);

        CommandLineRunner.Result sync = CommandLineRunner.run("sync", "mercury", "--dry-run");
        assertEquals(0, sync.exitCode(), sync.err());
        assertEquals(2, count(sync.out(), "mercury: would insert "), sync.out());
        assertTrue(count(sync.out(), "mercury: would update ") >= 4, sync.out());
        assertTrue(sync.out().contains("mercury: would delete " + removed), sync.out());
        assertTrue(sync.out().contains("dry run: nothing written"), sync.out());
        assertEquals(before, Warehouses.h2Dump(url), "a dry-run sync writes nothing");

        Path mappings = Files.createTempDirectory("botsync-mappings");
        String mapping = new String(getClass().getResourceAsStream("/mappings/mercury.jslt").readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(mappings.resolve("mercury.jslt"), mapping.replace("\"locale\":", "\"user_type\": \"bot-user\", \"locale\":"));
        System.setProperty("botsync.mappings.dir", mappings.toString());
        CommandLineRunner.Result replay = CommandLineRunner.run("replay", "--source", "mercury", "--dry-run");
        assertEquals(0, replay.exitCode(), replay.err());
        assertEquals(120, count(replay.out(), "mercury: would update "), replay.out());
        assertEquals(before, Warehouses.h2Dump(url), "a dry-run replay writes nothing");

        Path file = Files.createTempDirectory("botsync-import").resolve("users.ndjson");
        Files.writeString(file, "{\"id\":\"5\",\"first_name\":\"Ada\",\"last_activity\":\"2023-05-12 14:28:57\"}\nbroken\n");
        CommandLineRunner.Result imported = CommandLineRunner.run("import", "--source", "stepchat", "--dry-run", file.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("stepchat: would insert 5"), imported.out());
        assertTrue(imported.out().contains("rejected=1"), imported.out());
        assertEquals(before, Warehouses.h2Dump(url), "a dry-run import writes nothing");

        CommandLineRunner.Result real = CommandLineRunner.run("import", "--source", "stepchat", file.toString());
        assertEquals(0, real.exitCode(), real.err());
        assertTrue(real.out().contains("inserted=1"), "a dry run does not mark the file imported: " + real.out());
    }

    private static int count(String text, String line) {
        return (int) text.lines().filter(l -> l.startsWith(line)).count();
    }
}
