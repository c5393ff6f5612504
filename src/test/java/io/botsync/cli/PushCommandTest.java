package io.botsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code botsync push}: bad target configuration exits 2 naming the key and the fix. */
class PushCommandTest {

    @BeforeEach
    void warehouse() {
        System.setProperty("botsync.warehouse.url", TestDatabases.freshH2());
    }

    @AfterEach
    void clear() {
        System.clearProperty("botsync.warehouse.url");
        System.clearProperty("botsync.push.crm.type");
    }

    @Test
    void anUnconfiguredTargetNamesTheMissingKeyAndItsVariable() {
        CommandLineRun run = CommandLineRun.of("push", "crm");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("push target crm is not configured: set botsync.push.crm.url"), run.err());
        assertTrue(run.err().contains("BOTSYNC_PUSH_CRM_URL"), run.err());
    }

    @Test
    void anUnknownTargetIsBadUsage() {
        CommandLineRun run = CommandLineRun.of("push", "nosuch");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown push target 'nosuch'"), run.err());
    }

    @Test
    void aTargetTypeBotsyncCannotWriteToNamesTheKeyAndTheChoices() {
        System.setProperty("botsync.push.crm.type", "mercury");
        CommandLineRun run = CommandLineRun.of("push");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("botsync.push.crm.type is 'mercury': set it to webhook or to"), run.err());
    }

    @Test
    void withNoTargetConfiguredPushSaysSo() {
        CommandLineRun run = CommandLineRun.of("push");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("no push target is configured"), run.out());
    }
}
