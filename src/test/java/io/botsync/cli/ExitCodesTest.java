package io.botsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

    @BeforeEach
    void warehouse() {
        System.setProperty("botsync.warehouse.url", TestDatabases.freshH2());
    }

    @AfterEach
    void clear() {
        System.clearProperty("botsync.warehouse.url");
        System.clearProperty("botsync.warehouse.user");
        System.clearProperty("botsync.instabot.api-key");
        System.clearProperty("botsync.instabot.master-api-key");
        System.clearProperty("botsync.instabot.concurrency");
    }

    @Test
    void anUnknownSourceIsBadUsage() {
        CommandLineRun run = CommandLineRun.of("sync", "nosuch");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown source 'nosuch'"), run.err());
    }

    @Test
    void anUnconfiguredSourceNamesTheMissingKeyAndItsVariable() {
        CommandLineRun run = CommandLineRun.of("sync", "instabot");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("botsync.instabot.api-key"), run.err());
        assertTrue(run.err().contains("BOTSYNC_INSTABOT_API_KEY"), run.err());
    }

    @Test
    void aSourceSettingItsReaderRefusesIsBadConfigurationNamingTheKey() {
        System.setProperty("botsync.instabot.api-key", "k");
        System.setProperty("botsync.instabot.master-api-key", "m");
        System.setProperty("botsync.instabot.concurrency", "17");
        CommandLineRun run = CommandLineRun.of("sync", "instabot");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("botsync: botsync.instabot.concurrency is 17; it must be 1 to 16"), run.err());
        assertTrue(!run.err().contains("Exception"), run.err());
    }

    @Test
    void aBadWarehouseUrlIsBadConfigurationNamingTheKey() {
        System.setProperty("botsync.warehouse.url", "jdbc:nosuchdb://x");
        CommandLineRun run = CommandLineRun.of("status");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("botsync.warehouse.url"), run.err());
    }

    @Test
    void aWarehouseThatRefusesConnectionsFailsTheCommandInOneLineNamingItWithoutItsPassword() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        System.setProperty("botsync.warehouse.url", "jdbc:postgresql://127.0.0.1:" + port + "/crm?password=pg-secret-42");
        CommandLineRun run = CommandLineRun.of("sync");
        assertEquals(1, run.exitCode(), "unreachable is not bad configuration: the same command works once it is back");
        assertEquals("botsync: warehouse jdbc:postgresql://127.0.0.1:" + port + "/crm?password=*** is unreachable: Connection refused",
                run.err().strip());
    }

    @Test
    void aWarehouseDatabaseThatDoesNotExistIsBadConfiguration() {
        System.setProperty("botsync.warehouse.url", TestDatabases.POSTGRES_ADMIN_URL.replaceAll("/[^/]*$", "/botsync_test_never_created"));
        System.setProperty("botsync.warehouse.user", TestDatabases.POSTGRES_USER);
        CommandLineRun run = CommandLineRun.of("status");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("does not exist") && run.err().contains("botsync.warehouse.url"), run.err());
    }

    @Test
    void noCommandIsBadUsage() {
        CommandLineRun run = CommandLineRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("name a command"), run.err());
    }

    @Test
    void everyCommandExplainsItselfWithHelp() {
        for (String command : new String[] {"run", "sync", "push", "status", "check", "demo", "replay", "import"}) {
            CommandLineRun run = CommandLineRun.of(command, "--help");
            assertEquals(0, run.exitCode(), command + ": " + run.err());
            assertTrue(run.out().contains("Usage: botsync " + command), command + ": " + run.out());
        }
    }

    @Test
    void versionIsTheBuildsVersion() throws Exception {
        CommandLineRun run = CommandLineRun.of("--version");
        assertEquals(0, run.exitCode(), run.err());
        String pom = java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml"));
        String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
        assertEquals("botsync " + version, run.out().strip());
    }

    @Test
    void statusListsSourcesThatNeverSynced() {
        assertEquals(0, CommandLineRun.of("sync").exitCode(), "creates the warehouse: status never does");
        CommandLineRun run = CommandLineRun.of("status");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("instabot: never synced (not configured: set botsync.instabot.api-key"), run.out());
    }

    @Test
    void anUnconfiguredPushTargetNamesTheKeyItsRouteWaitsForAndItsVariable() {
        CommandLineRun run = CommandLineRun.of("push", "crm");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("push target crm is not configured: its route is made once botsync.push.crm.url is set"),
                run.err());
        assertTrue(run.err().contains("BOTSYNC_PUSH_CRM_URL"), run.err());
    }

    @Test
    void aPushTargetNoRouteReadsIsBadUsage() {
        CommandLineRun run = CommandLineRun.of("push", "nosuch");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no route pushes to the target nosuch"), run.err());
    }

    @Test
    void withNoPushTargetConfiguredPushSaysSo() {
        CommandLineRun run = CommandLineRun.of("push");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("no route pushes anywhere"), run.out());
    }
}
