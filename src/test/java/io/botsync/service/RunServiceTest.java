package io.botsync.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sim.stepchat.StepChatSimulator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code run} against the three simulators on a one-second cron: rows land, metrics move, health follows failures. */
class RunServiceTest {

    private final InstabotSimulator instabot = new InstabotSimulator(150, 3);
    private final StepChatSimulator stepchat = StepChatSimulator.start(120, 4);
    private final MercurySimulator mercury = new MercurySimulator(130, 5);
    private final ServiceFixture service = new ServiceFixture();

    @AfterEach
    void close() {
        service.close();
        instabot.close();
        stepchat.close();
        mercury.close();
    }

    @Test
    void schedulesLandRowsAndMoveTheMetricsAndHealthFollowsFailedRuns() {
        service.properties.putAll(instabot.sourceProperties("instabot"));
        service.properties.putAll(stepchat.sourceProperties("stepchat"));
        service.properties.putAll(mercury.sourceProperties("mercury"));
        for (String source : List.of("instabot", "stepchat", "mercury")) {
            service.properties.put("botsync." + source + ".cron", ServiceFixture.EVERY_SECOND);
        }
        service.properties.put("botsync.health.failed-runs", "2");
        service.start();

        ServiceFixture.await("every simulated user in crm_user", () ->
                service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'instabot'") == 150
                        && service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'stepchat'") > 100 // staff never land
                        && service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'mercury'") == 130);
        ServiceFixture.await("metrics of the runs", () -> service.metric("botsync_users_written_total", "mercury") >= 130);
        assertTrue(service.metric("botsync_users_fetched_total", "instabot") >= 150, service.botsyncMetrics());
        assertTrue(service.metric("botsync_users_written_total", "stepchat")
                >= service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'stepchat'"), service.botsyncMetrics());
        assertEquals(0, service.metric("botsync_users_rejected_total", "instabot"), service.botsyncMetrics());
        assertTrue(service.metric("botsync_runs_total", "mercury") >= 1, service.botsyncMetrics());
        assertTrue(service.metric("botsync_run_duration_seconds_count", "instabot") >= 1, service.botsyncMetrics());
        assertTrue(service.metric("botsync_last_success_seconds", "stepchat") > 1.6e9, service.botsyncMetrics());
        // Camel reports a file consumer DOWN until its first poll (the inbox's, a second after start), and the runs
        // may all have landed before that
        ServiceFixture.await("health UP", () -> service.get("/observe/health").statusCode() == 200);

        mercury.mutate(4, 3);
        ServiceFixture.await("the next run lands the change", () ->
                service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'mercury'") == 133);

        mercury.beforePage(query -> {
            throw new IllegalStateException("Mercury is down");
        });
        ServiceFixture.await("health DOWN after two failed runs", () -> service.get("/observe/health").statusCode() == 503);
        assertTrue(service.get("/observe/health").body().contains("DOWN"), service.get("/observe/health").body());
        // the schedule fires every second, so the newest run may already be under way: look at the last one that ended
        assertEquals("failed", service.query("SELECT status FROM sync_run WHERE source = 'mercury' AND finished_at IS NOT NULL"
                + " ORDER BY id DESC LIMIT 1").get(0).get(0));

        mercury.beforePage(query -> { });
        ServiceFixture.await("health UP after a succeeded run", () -> service.get("/observe/health").statusCode() == 200);
    }
}
