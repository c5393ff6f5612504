package io.botsync.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sync.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalTime;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alerts against a real HTTP receiver: one message per change of state, however many runs stay in it, and none again
 * after a restart for a state alerted before it.
 */
class AlertsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MercurySimulator mercury = new MercurySimulator(60, 11);
    private final AlertReceiver receiver = new AlertReceiver();
    private ServiceFixture service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        receiver.close();
        mercury.close();
    }

    @Test
    void oneSlackMessagePerChangeOfStateAndNoneAgainAfterARestart() {
        String url = start(null);
        for (int run = 0; run < 3; run++) {
            sync(RunResult.Status.SUCCEEDED);
        }

        mercury.beforePage(query -> {
            throw new IllegalStateException("Mercury is down");
        });
        sync(RunResult.Status.FAILED);
        sync(RunResult.Status.FAILED);
        String failing = text(receiver.await(1));
        assertTrue(failing.startsWith("botsync: mercury is failing: its last 2 runs failed: mercury: Mercury answered"), failing);
        sync(RunResult.Status.FAILED);

        // a restart reads that mercury is failing from the warehouse, and says nothing
        service.close();
        start(url);
        mercury.beforePage(query -> { });
        sync(RunResult.Status.SUCCEEDED);
        assertTrue(text(receiver.await(2)).startsWith("botsync: mercury recovered: last success "), receiver.taken().toString());

        receiver.refuseNext(1); // Camel's redelivery sends it again
        for (int index = 10; index < 15; index++) {
            mercury.corrupt(index, MercurySimulator.Defect.PROPERTIES_AS_TEXT);
        }
        sync(RunResult.Status.SUCCEEDED);
        String rejected = text(receiver.await(3));
        assertTrue(rejected.startsWith("botsync: mercury rejected 8.3% of the 60 records run "), rejected);
        assertTrue(rejected.endsWith("fetched (5), more than 5.0%"), rejected);
        sync(RunResult.Status.SUCCEEDED);
        for (int index = 10; index < 15; index++) {
            mercury.repair(index);
        }
        sync(RunResult.Status.SUCCEEDED);
        assertTrue(text(receiver.await(4)).startsWith("botsync: mercury rejects less again: 0.0% of the 60 records"),
                receiver.taken().toString());

        for (int removed = 0; removed < 40; removed++) {
            mercury.remove(0);
        }
        sync(RunResult.Status.SUCCEEDED);
        String drop = text(receiver.await(5));
        assertTrue(drop.startsWith("botsync: mercury fetched 20 users in run "), drop);
        assertTrue(drop.endsWith(", less than 50.0% of the median of its last 7 succeeded full runs (60)"), drop);
        sync(RunResult.Status.SUCCEEDED);
        mercury.mutate(0, 40);
        sync(RunResult.Status.SUCCEEDED);
        assertTrue(text(receiver.await(6)).startsWith("botsync: mercury fetches as many users as before again: 60 in run "),
                receiver.taken().toString());

        // every change was one message, and only one: the runs that stayed in a state sent none
        assertEquals(6, receiver.taken().size(), receiver.taken().toString());
        assertEquals(7, receiver.requests(), "one message was refused once, and sent again");
        receiver.taken().forEach(message -> assertEquals("application/json", message.contentType()));
    }

    @Test
    void aSourceWhoseRunHangsTurnsLateThenFailingThenRecoversInPlainText() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        service = new ServiceFixture();
        service.properties.putAll(mercury.sourceProperties("mercury"));
        service.properties.put("botsync.mercury.cron", "0/5 * * * * ?");
        service.properties.put("botsync.alerts.webhook", receiver.url());
        service.properties.put("botsync.alerts.interval", "1s");
        service.start();
        ServiceFixture.await("a succeeded run", () ->
                service.count("SELECT COUNT(*) FROM sync_run WHERE source = 'mercury' AND status = 'succeeded'") >= 1);
        mercury.beforePage(query -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(receiver.await(1).body().startsWith("botsync: mercury is late: no success since "), receiver.taken().toString());
            assertTrue(receiver.await(2).body().startsWith("botsync: mercury is failing: no success since "),
                    receiver.taken().toString());
        } finally {
            mercury.beforePage(query -> { });
            release.countDown();
        }
        AlertReceiver.Message recovered = receiver.await(3);
        assertTrue(recovered.body().startsWith("botsync: mercury recovered: last success "), recovered.body());
        assertEquals("text/plain; charset=utf-8", recovered.contentType());
        assertEquals(3, receiver.taken().size(), receiver.taken().toString());
        assertFalse(ServiceFixture.read(java.nio.file.Path.of("target", "surefire-reports",
                "io.botsync.service.AlertsTest-output.txt")).contains("s3cret-hook-path"), "the webhook's path is never logged");
    }

    @Test
    void aPushTargetFailingItsRoundsIsOneMessageAndItsRecoveryAnother() {
        try (AlertReceiver crm = new AlertReceiver()) {
            service = serviceWith(crm);
            service.properties.put("botsync.push.max-redeliveries", "0");
            service.properties.put("botsync.health.failed-runs", "2");
            service.properties.put("botsync.alerts.webhook", receiver.url());
            service.start();
            sync(RunResult.Status.SUCCEEDED);
            crm.refuseNext(3);
            for (int round = 0; round < 3; round++) {
                assertFalse(service.app().push().push("crm").ok());
            }
            assertTrue(receiver.await(1).body().startsWith("botsync: push target crm is failing: its last 2 rounds failed: "),
                    receiver.taken().toString());
            assertTrue(service.app().push().push("crm").ok());
            assertTrue(receiver.await(2).body().startsWith("botsync: push target crm recovered: a round succeeded (position "),
                    receiver.taken().toString());
            assertEquals(2, receiver.taken().size(), receiver.taken().toString());
        }
    }

    @Test
    void aPushTargetWhoseChangesWaitTooLongIsLateOnceAndCatchesUpOnce() throws InterruptedException {
        try (AlertReceiver crm = new AlertReceiver()) {
            service = serviceWith(crm);
            service.properties.put("botsync.alerts.webhook", receiver.url());
            service.properties.put("botsync.alerts.push-late", "1s");
            service.properties.put("botsync.alerts.interval", "200ms");
            service.start();
            sync(RunResult.Status.SUCCEEDED);
            assertTrue(service.app().push().push("crm").ok());
            mercury.mutate(5, 0);
            sync(RunResult.Status.SUCCEEDED); // five changes wait: no round comes before the target's cron, hours away

            String late = receiver.await(1).body();
            assertTrue(late.matches("botsync: push target crm is late: [1-9]\\d* changes wait, the oldest since .*")
                    && late.contains("(more than botsync.alerts.push-late, 1s)"), late);
            Thread.sleep(1_000); // five more looks: still late, and said once
            assertEquals(1, receiver.taken().size(), receiver.taken().toString());
            assertTrue(service.app().push().push("crm").ok());
            assertTrue(receiver.await(2).body().startsWith("botsync: push target crm caught up: position "), receiver.taken().toString());
            Thread.sleep(600);
            assertEquals(2, receiver.taken().size(), receiver.taken().toString());
        }
    }

    /** {@code run} with Mercury and a CRM push target, both on schedules that fire hours from now; not started yet. */
    private ServiceFixture serviceWith(AlertReceiver crm) {
        ServiceFixture fixture = new ServiceFixture();
        fixture.properties.putAll(mercury.sourceProperties("mercury"));
        fixture.properties.put("botsync.mercury.cron", "0 0 " + LocalTime.now().plusHours(12).getHour() + " * * ?");
        fixture.properties.put("botsync.push.crm.url", crm.url());
        fixture.properties.put("botsync.push.crm.cron", "0 0 " + LocalTime.now().plusHours(12).getHour() + " * * ?");
        return fixture;
    }

    /** Starts {@code run} on a schedule that fires hours from now, on {@code url}'s warehouse (null: a new one). */
    private String start(String url) {
        service = new ServiceFixture();
        if (url != null) {
            service.properties.put("botsync.warehouse.url", url);
        }
        service.properties.putAll(mercury.sourceProperties("mercury"));
        service.properties.put("botsync.mercury.cron", "0 0 " + LocalTime.now().plusHours(12).getHour() + " * * ?");
        service.properties.put("botsync.mass-delete-share", "100%");
        service.properties.put("botsync.health.failed-runs", "2");
        service.properties.put("botsync.http.max-attempts", "1");
        service.properties.put("botsync.alerts.webhook", receiver.url());
        service.properties.put("botsync.alerts.format", "slack");
        service.properties.put("botsync.alerts.redelivery-delay", "50");
        service.start();
        return url == null ? service.url : url;
    }

    private void sync(RunResult.Status expected) {
        assertEquals(expected, service.app().sync().sync("mercury").status());
    }

    private static String text(AlertReceiver.Message message) {
        try {
            JsonNode body = JSON.readTree(message.body());
            return body.get("text").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
