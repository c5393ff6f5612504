package io.botsync.push;

import static io.botsync.push.PushFixture.count;
import static io.botsync.push.PushFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.cli.Application;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code botsync push} killed with SIGKILL in the middle of a push, then run again: nothing lost, keys let the receiver drop the repeat. */
class PushCrashTest {

    private static final int USERS = 60;
    private static final int KILLED_AT = 25;

    @Test
    void aPushKilledMidwayResumesFromItsCommittedPositionAndLosesNothing() throws Exception {
        try (PushFixture fixture = new PushFixture("postgresql", USERS)) {
            Application app = fixture.start(Map.of());
            app.sync().sync("mercury", false);
            List<String> changes = strings(app, "SELECT id FROM user_change ORDER BY id");

            CountDownLatch inFlight = new CountDownLatch(1);
            fixture.receiver.beforeAnswer(request -> {
                if (request == KILLED_AT) {
                    inFlight.countDown();
                    sleepUntilInterrupted(); // the answer never leaves: the process dies first
                }
            });
            Process push = botsyncProcess(fixture.properties(Map.of()), "push", "crm");
            try {
                assertTrue(inFlight.await(60, TimeUnit.SECONDS), "the push process reached the receiver");
                push.destroyForcibly(); // SIGKILL
                assertTrue(push.waitFor(30, TimeUnit.SECONDS));
            } finally {
                push.destroyForcibly();
            }
            assertEquals(changes.get(KILLED_AT - 2), strings(app, "SELECT change_id FROM push_position WHERE target = 'crm'").get(0),
                    "the position is that of the last change whose delivery was answered");

            fixture.receiver.beforeAnswer(request -> { });
            PushResult resumed = app.push().push("crm");
            assertEquals(PushResult.Status.SUCCEEDED, resumed.status(), resumed.summary());
            assertEquals(USERS - KILLED_AT + 1, resumed.delivered(), "the resumed push starts at the unanswered change");

            List<String> keys = fixture.receiver.accepted().stream().map(WebhookReceiver.Received::idempotencyKey).toList();
            assertEquals(USERS + 1, keys.size(), "exactly one change arrived twice");
            assertEquals(changes, keys.stream().distinct().toList(), "dropping repeated keys leaves every change once, in order");
            assertEquals(changes.get(KILLED_AT - 1), keys.get(KILLED_AT), "the repeat carries the same key");
            assertEquals(0, count(app, "SELECT COUNT(*) FROM push_parked"));
        }
    }

    /** botsync's main class in a JVM of its own, configured by system properties. */
    private static Process botsyncProcess(Map<String, String> properties, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                new File(System.getProperty("java.home"), "bin/java").getPath(), "-cp", System.getProperty("java.class.path")));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("io.botsync.cli.Botsync");
        command.addAll(List.of(args));
        File log = Files.createTempFile("botsync-push", ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void sleepUntilInterrupted() {
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
