package io.botsync.push;

import static io.botsync.push.PushFixture.count;
import static io.botsync.push.PushFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.botsync.cli.Application;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped push route (routes/push-crm.yaml) to an HTTP webhook on loopback: order, idempotency keys, outages and
 * Camel's redelivery, Retry-After, refusals parked and retried, where a new target starts.
 */
class WebhookPushTest {

    private static final int USERS = 120;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void everyChangeArrivesOnceInOrderWithItsKeyAndANoChangeSyncPushesNothing(String kind) throws Exception {
        try (PushFixture fixture = new PushFixture(kind, USERS)) {
            Application app = fixture.start(Map.of());
            app.sync().sync("mercury", false);
            PushResult first = app.push().push("crm");
            assertEquals(PushResult.Status.SUCCEEDED, first.status(), first.summary());
            assertEquals(USERS, first.delivered());

            List<WebhookReceiver.Received> received = fixture.receiver.accepted();
            assertEquals(USERS, received.size(), "one POST per user at batch-size 1");
            assertEquals(changeIds(app), received.stream().map(r -> r.body().path("change_id").asText()).toList(),
                    "every change, once, in change id order");
            for (WebhookReceiver.Received request : received) {
                assertEquals(request.body().path("change_id").asText(), request.idempotencyKey());
                assertEquals("Bearer " + PushFixture.TOKEN, request.authorization());
            }
            JsonNode user = received.get(0).body();
            assertEquals(user.path("email").asText(null), strings(app, "SELECT email FROM crm_user WHERE external_id = '"
                    + user.path("external_id").asText() + "'").get(0), "the canonical user as the warehouse holds it");
            assertEquals("inserted", user.path("change").asText());
            assertEquals("mercury", user.path("source").asText());
            assertTrue(user.path("attributes").isObject());
            assertEquals(first.position(), Long.parseLong(strings(app, "SELECT change_id FROM push_position WHERE target = 'crm'").get(0)));

            app.sync().sync("mercury", false);
            PushResult quiet = app.push().push("crm");
            assertEquals(0, quiet.delivered(), quiet.summary());
            assertEquals(USERS, fixture.receiver.accepted().size(), "a sync without changes pushes nothing");

            String removed = fixture.mercury.remove(3);
            fixture.mercury.mutate(4, 2);
            app.sync().sync("mercury", false);
            PushResult later = app.push().push("crm");
            List<JsonNode> news = fixture.receiver.acceptedUsers().subList(USERS, fixture.receiver.acceptedUsers().size());
            assertEquals(later.delivered(), news.size());
            assertEquals(7, news.size(), "4 updated, 2 inserted, 1 deleted: " + news);
            assertTrue(news.stream().anyMatch(u -> u.path("external_id").asText().equals(removed)
                    && u.path("change").asText().equals("deleted") && u.path("deleted").asBoolean()));
        }
    }

    @Test
    void batchesCarryEveryChangeWithItsIdAndARangeKey() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS)) {
            Application app = fixture.start(Map.of("botsync.push.crm.batch-size", "50"));
            app.sync().sync("mercury", false);
            PushResult result = app.push().push("crm");
            assertEquals(USERS, result.delivered(), result.summary());
            List<WebhookReceiver.Received> received = fixture.receiver.accepted();
            assertEquals(List.of(50, 50, 20), received.stream().map(r -> r.body().size()).toList());
            WebhookReceiver.Received batch = received.get(1);
            assertEquals(batch.body().get(0).path("change_id").asText() + "-" + batch.body().get(49).path("change_id").asText(),
                    batch.idempotencyKey());
            assertEquals(changeIds(app), fixture.receiver.acceptedUsers().stream().map(u -> u.path("change_id").asText()).toList());
        }
    }

    @Test
    void aTargetDownIsSentEachBatchExactlyMaximumRedeliveriesPlusOneTimesAndLaterLosesNothing() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS)) {
            Application app = fixture.start(Map.of("botsync.push.crm.batch-size", "7"));
            app.sync().sync("mercury", false);
            fixture.receiver.down(true);
            PushResult down = app.push().push("crm");
            assertEquals(PushResult.Status.FAILED, down.status(), down.summary());
            assertTrue(down.error().contains("HTTP 503"), down.error());
            assertEquals(PushFixture.MAX_REDELIVERIES + 1, fixture.receiver.arrivals().size(),
                    "the first batch, sent once and redelivered maximumRedeliveries times; the round stops there");
            assertEquals(0, down.position(), "the position stays where the target stopped taking changes");
            assertEquals(0, count(app, "SELECT COUNT(*) FROM push_parked"), "an outage parks nothing");

            fixture.mercury.mutate(3, 1);
            app.sync().sync("mercury", false);
            fixture.receiver.down(false);
            PushResult back = app.push().push("crm");
            assertEquals(PushResult.Status.SUCCEEDED, back.status(), back.summary());
            List<String> delivered = fixture.receiver.acceptedUsers().stream().map(u -> u.path("change_id").asText()).toList();
            List<String> expected = strings(app, "SELECT c.id FROM user_change c JOIN crm_user u ON u.source = c.source"
                    + " AND u.external_id = c.external_id WHERE u.content_hash = c.content_hash ORDER BY c.id");
            assertEquals(expected, delivered, "every change not superseded while the target was down, in order");
            assertEquals(USERS + 1, delivered.size());
        }
    }

    @Test
    void aDroppedConnectionOrAnAnswerPastTheTimeoutIsRedeliveredThenStopsTheRoundAndParksNothing() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", 3)) {
            Application app = fixture.start(Map.of("camel.component.http.response-timeout", "300",
                    "camel.component.http.so-timeout", "300"));
            app.sync().sync("mercury", false);
            fixture.receiver.drop(true);
            PushResult dropped = app.push().push("crm");
            assertEquals(PushResult.Status.FAILED, dropped.status(), dropped.summary());
            assertEquals(PushFixture.MAX_REDELIVERIES + 1, fixture.receiver.arrivals().size());

            fixture.receiver.drop(false);
            fixture.receiver.stall(1_000);
            PushResult timedOut = app.push().push("crm");
            assertEquals(PushResult.Status.FAILED, timedOut.status(), timedOut.summary());
            assertTrue(timedOut.error().toLowerCase().contains("timed out") || timedOut.error().toLowerCase().contains("timeout"),
                    timedOut.error());
            assertEquals(2 * (PushFixture.MAX_REDELIVERIES + 1), fixture.receiver.arrivals().size());
            assertEquals(0, timedOut.position());
            assertEquals(0, count(app, "SELECT COUNT(*) FROM push_parked"), "an unreachable target parks nothing");
        }
    }

    @Test
    void aRetryAfterOfTheTargetIsWaitedFor() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", 3)) {
            Application app = fixture.start(Map.of());
            app.sync().sync("mercury", false);
            fixture.receiver.retryAfter("1");
            fixture.receiver.down(true);
            PushResult slowed = app.push().push("crm");
            assertEquals(PushResult.Status.FAILED, slowed.status(), slowed.summary());
            assertTrue(slowed.error().contains("HTTP 429"), slowed.error());
            List<Long> arrivals = fixture.receiver.arrivals();
            assertEquals(PushFixture.MAX_REDELIVERIES + 1, arrivals.size());
            for (int i = 1; i < arrivals.size(); i++) {
                assertTrue(arrivals.get(i) - arrivals.get(i - 1) >= TimeUnit.MILLISECONDS.toNanos(900),
                        "a redelivery waits the second Retry-After asks for, not the policy's 5 ms: " + arrivals);
            }
        }
    }

    @Test
    void aNewTargetFromNowGetsOnlyTheChangesMadeAfterItsFirstRound() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS)) {
            Application app = fixture.start(Map.of("botsync.push.crm.from", "now"));
            app.sync().sync("mercury", false);
            PushResult first = app.push().push("crm");
            assertEquals(0, first.delivered(), first.summary());
            assertEquals(strings(app, "SELECT MAX(id) FROM user_change"), List.of(String.valueOf(first.position())));
            fixture.mercury.mutate(2, 0);
            app.sync().sync("mercury", false);
            assertEquals(2, app.push().push("crm").delivered());
            assertEquals(2, fixture.receiver.accepted().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aChangeTheTargetRefusesIsParkedWithTheReasonThePushGoesOnAndARetryDeliversItOnceAccepted(String kind) throws Exception {
        try (PushFixture fixture = new PushFixture(kind, USERS)) {
            Application app = fixture.start(Map.of());
            app.sync().sync("mercury", false);
            String poison = strings(app, "SELECT external_id FROM user_change ORDER BY id").get(41);
            fixture.receiver.refuse(user -> user.path("external_id").asText().equals(poison));
            PushResult result = app.push().push("crm");
            assertEquals(PushResult.Status.SUCCEEDED, result.status(), result.summary());
            assertEquals(1, result.parked());
            assertEquals(USERS - 1, result.delivered());
            assertEquals(USERS, fixture.receiver.arrivals().size(), "a refusal is not retried: one POST a change");
            List<String> delivered = fixture.receiver.acceptedUsers().stream().map(u -> u.path("external_id").asText()).toList();
            assertFalse(delivered.contains(poison));
            assertEquals(USERS - 1, delivered.stream().distinct().count(), "every other user arrived, once");
            assertEquals(List.of(poison + " 1"), strings(app, "SELECT external_id || ' ' || attempts FROM push_parked WHERE target = 'crm'"));
            String reason = strings(app, "SELECT reason FROM push_parked").get(0);
            assertTrue(reason.contains("HTTP 422") && reason.contains("invalid user"), reason);
            assertFalse(reason.contains(PushFixture.TOKEN), "the receiver echoed the token; the reason must not: " + reason);
            assertEquals(0, app.push().push("crm").delivered(), "a parked change is not retried by later rounds");

            PushResult refusedAgain = app.push().retryParked("crm");
            assertEquals(1, refusedAgain.parked(), refusedAgain.summary());
            assertEquals(List.of(poison + " 2"), strings(app, "SELECT external_id || ' ' || attempts FROM push_parked"));

            fixture.receiver.refuse(user -> false);
            PushResult retried = app.push().retryParked("crm");
            assertEquals(1, retried.delivered(), retried.summary());
            assertEquals(0, count(app, "SELECT COUNT(*) FROM push_parked"), "a change the target took leaves push_parked");
            assertEquals(poison, fixture.receiver.acceptedUsers().get(USERS - 1).path("external_id").asText());
        }
    }

    @Test
    void underRunTheShippedRouteDeliversOnItsScheduleAndItsMetricsAndHealthFollowIt() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS); ServerSocket socket = new ServerSocket(0)) {
            int port = socket.getLocalPort();
            socket.close();
            Map<String, String> properties = fixture.properties(Map.of("botsync.push.crm.cron", "0/1 * * * * ?",
                    "botsync.health.failed-runs", "2", "camel.management.port", String.valueOf(port),
                    "camel.management.host", "127.0.0.1", "botsync.mercury.cron", "0 0 0 1 1 ? 2099"));
            try (Application service = Application.start(properties, true)) {
                service.sync().sync("mercury", false);
                await(() -> fixture.receiver.accepted().size() >= USERS, "every change pushed on the schedule");
                assertEquals(changeIds(service), fixture.receiver.accepted().stream()
                        .map(r -> r.body().path("change_id").asText()).toList(), "routes/push-crm.yaml pushed every change");
                await(() -> metric(port, "botsync_push_changes_delivered_total") == USERS, "the delivered metric");
                assertEquals(0, metric(port, "botsync_push_backlog"));
                assertTrue(metric(port, "botsync_push_last_delivery_seconds") > 1.6e9);
                // Camel reports the inbox's file consumers DOWN until they first poll, a second after start
                await(() -> get(port, "/observe/health").statusCode() == 200, "health UP");

                fixture.receiver.down(true);
                fixture.mercury.mutate(1, 0);
                service.sync().sync("mercury", false);
                await(() -> get(port, "/observe/health").statusCode() == 503, "health DOWN after two failed rounds");
                assertTrue(get(port, "/observe/health").body().contains("push crm failed its last"), get(port, "/observe/health").body());
                assertTrue(metric(port, "botsync_push_backlog") >= 1);
                fixture.receiver.down(false);
                await(() -> get(port, "/observe/health").statusCode() == 200, "health UP after a round that succeeded");
            }
        }
    }

    @Test
    void theOutboxKeepsWhatATargetHasNotPassedOrParkedAndPrunesTheRestPastItsRetention() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", 20)) {
            Application app = fixture.start(Map.of());
            app.sync().sync("mercury", false);
            List<String> ids = changeIds(app);
            String poison = strings(app, "SELECT external_id FROM user_change ORDER BY id").get(3);
            fixture.receiver.refuse(user -> user.path("external_id").asText().equals(poison));
            fixture.receiver.down(false);
            assertEquals(1, app.push().push("crm").parked());
            fixture.mercury.mutate(2, 0);
            app.sync().sync("mercury", false);
            try (var connection = app.warehouse().dataSource().getConnection(); var statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE user_change SET changed_at = TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00Z'");
            }

            int pruned = app.push().pruneOutbox(java.time.Duration.ofDays(7));

            assertEquals(ids.size() - 1, pruned, "every change the target passed, but the parked one");
            assertEquals(List.of(ids.get(3)), strings(app, "SELECT id FROM user_change WHERE id <= " + ids.get(ids.size() - 1)));
            assertEquals(2, count(app, "SELECT COUNT(*) FROM user_change WHERE id > " + ids.get(ids.size() - 1)),
                    "the changes the target has not had yet stay");
            fixture.receiver.refuse(user -> false);
            assertEquals(1, app.push().retryParked("crm").delivered(), "a parked change is still sent again");
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within a minute: " + what);
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of the crm target's sample of a Prometheus series; -1 when absent. */
    private static double metric(int port, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*target=\"crm\"[^}]*} ([0-9.Ee+-]+)$")
                .matcher(get(port, "/observe/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static List<String> changeIds(Application app) throws Exception {
        return new ArrayList<>(strings(app, "SELECT id FROM user_change ORDER BY id"));
    }
}
