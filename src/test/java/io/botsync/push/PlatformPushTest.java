package io.botsync.push;

import static io.botsync.push.PushFixture.count;
import static io.botsync.push.PushFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.cli.Application;
import io.botsync.sim.SimFaults;
import io.botsync.sim.SimServer;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.stepchat.StepChatSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pushing warehouse users to chatbot platforms (the simulators), with the link table keeping them one user each. */
class PlatformPushTest {

    private static final int USERS = 30;

    @Test
    void usersAreCreatedOnStepChatOnceAdoptedOnDuplicateEmailUpdatedLaterAndNeverPushedBack() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS);
             StepChatSimulator stepchat = StepChatSimulator.start(5, 3)) {
            Map<String, String> properties = new HashMap<>(stepchat.sourceProperties("stepchat"));
            properties.put("botsync.push.stepchat.url", stepchat.url());
            properties.put("botsync.push.stepchat.token", stepchat.adminToken());
            Application app = fixture.start(properties);
            app.sync().sync("stepchat", false);
            app.sync().sync("mercury", false);
            String email = strings(app, "SELECT email FROM crm_user WHERE source = 'mercury' AND email IS NOT NULL ORDER BY external_id").get(0);
            String existing = addStepChatUser(stepchat, email);
            int before = stepchat.userCount();
            long contacts = count(app, "SELECT COUNT(*) FROM crm_user WHERE source = 'stepchat'");

            PushResult first = app.push().push("stepchat");
            assertEquals(PushResult.Status.SUCCEEDED, first.status(), first.summary());
            assertEquals(USERS, first.delivered());
            assertEquals(contacts, first.passedOver(), "StepChat's own users are never pushed back to it");
            assertEquals(before + USERS - 1, stepchat.userCount(), "one user each, the one with a taken email adopted");
            assertEquals(List.of(existing), strings(app, "SELECT l.target_id FROM push_link l JOIN crm_user u ON u.source = l.source"
                    + " AND u.external_id = l.external_id WHERE l.target = 'stepchat' AND u.email = '" + email + "'"));
            assertEquals(USERS, count(app, "SELECT COUNT(DISTINCT target_id) FROM push_link WHERE target = 'stepchat'"));

            fixture.mercury.mutate(3, 0);
            app.sync().sync("mercury", false);
            int calls = stepchat.calls().size();
            PushResult later = app.push().push("stepchat");
            assertEquals(3, later.delivered(), later.summary());
            List<String> functions = stepchat.calls().subList(calls, stepchat.calls().size()).stream().map(c -> c.get("function")).toList();
            assertEquals(List.of("update-user", "update-user", "update-user"), functions, "later changes update the linked users");
            assertEquals(before + USERS - 1, stepchat.userCount());

            app.sync().sync("stepchat", true);
            assertEquals(USERS, count(app, "SELECT COUNT(*) FROM crm_user s JOIN crm_user m ON m.source = 'mercury'"
                    + " AND s.source = 'stepchat' AND s.first_name = m.first_name AND s.last_name = m.last_name"
                    + " AND COALESCE(s.email, '-') = COALESCE(m.email, '-') AND COALESCE(s.phone, '-') = COALESCE(m.phone, '-')"),
                    "reading StepChat back gives the pushed names, emails and phones");
        }
    }

    @Test
    void usersAreCreatedOnInstabotAndTheirChangesPutToTheSameObject() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS);
             InstabotSimulator instabot = new InstabotSimulator(4, 5)) {
            Map<String, String> properties = new HashMap<>();
            instabot.sourceProperties("push.instabot").forEach(properties::put);
            Application app = fixture.start(properties);
            app.sync().sync("mercury", false);
            PushResult first = app.push().push("instabot");
            assertEquals(USERS, first.delivered(), first.summary());
            assertEquals(4 + USERS, instabot.userCount());

            fixture.mercury.mutate(2, 0);
            app.sync().sync("mercury", false);
            int requests = instabot.requests().size();
            assertEquals(2, app.push().push("instabot").delivered());
            List<String> puts = instabot.requests().subList(requests, instabot.requests().size());
            assertEquals(2, puts.size());
            for (String external : strings(app, "SELECT external_id FROM user_change WHERE kind = 'updated'")) {
                String objectId = strings(app, "SELECT target_id FROM push_link WHERE target = 'instabot' AND external_id = '" + external + "'").get(0);
                assertTrue(puts.contains("PUT /v1/users/" + objectId), puts.toString());
                ObjectNode user = instabot.user(Long.parseLong(objectId));
                assertEquals(strings(app, "SELECT display_name FROM crm_user WHERE external_id = '" + external + "'").get(0),
                        user.path("name").asText(), "the change reached the linked Instabot user");
                assertEquals("botsync-mercury-" + external, user.path("username").asText());
            }
        }
    }

    @Test
    void aCreateWhoseAnswerIsLostIsNotSentTwiceAsANewUserButAdoptedOnTheRetry() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", 3);
             InstabotSimulator instabot = new InstabotSimulator(4, 5)) {
            Application app = syncedWithInstabotTarget(fixture, instabot);
            instabot.faults().next(new SimFaults.Truncate()); // the first create is made, its answer cut short

            PushResult result = app.push().push("instabot");

            assertEquals(PushResult.Status.SUCCEEDED, result.status(), result.summary());
            assertEquals(3, result.delivered());
            assertEquals(0, result.parked(), result.summary());
            assertEquals(4 + 3, instabot.userCount(), "one Instabot user for each warehouse user, no twin");
            for (String external : strings(app, "SELECT external_id FROM crm_user")) {
                String objectId = strings(app, "SELECT target_id FROM push_link WHERE target = 'instabot' AND external_id = '"
                        + external + "'").get(0);
                assertEquals("botsync-mercury-" + external, instabot.user(Long.parseLong(objectId)).path("username").asText());
            }
        }
    }

    @Test
    void aStepChatCreateWhoseAnswerIsLostIsFoundByItsBotsyncIdAndNotMadeTwice() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS);
             StepChatSimulator stepchat = StepChatSimulator.start(5, 3)) {
            Map<String, String> properties = new HashMap<>();
            properties.put("botsync.push.stepchat.url", stepchat.url());
            properties.put("botsync.push.stepchat.token", stepchat.adminToken());
            Application app = fixture.start(properties);
            app.sync().sync("mercury", false);
            int before = stepchat.userCount();
            // the first creates are made, but their answers never arrive: botsync never hears the new users' ids
            stepchat.loseAnswersOf("add-user", 5);

            PushResult result = app.push().push("stepchat");

            assertEquals(PushResult.Status.SUCCEEDED, result.status(), result.summary());
            assertEquals(USERS, result.delivered());
            assertEquals(before + USERS, stepchat.userCount(), "one StepChat user each, with or without an email: no twin");
        }
    }

    @Test
    void aPlatformAnswering503IsSentEachChangeExactlyMaximumRedeliveriesPlusOneTimes() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", 3);
             InstabotSimulator instabot = new InstabotSimulator(4, 5)) {
            Application app = syncedWithInstabotTarget(fixture, instabot);
            int before = instabot.faults().requests();
            instabot.faults().next(10, new SimFaults.Status(503, null));

            PushResult result = app.push().push("instabot");

            assertEquals(PushResult.Status.FAILED, result.status(), result.summary());
            assertEquals(PushFixture.MAX_REDELIVERIES + 1, instabot.faults().requests() - before,
                    "the push route's redeliveries are the one retry layer: the platform requester sends each once");
            assertEquals(4, instabot.userCount());
        }
    }

    /** botsync pushing to the Instabot simulator as the target {@code instabot}, its Mercury users synced. */
    private static Application syncedWithInstabotTarget(PushFixture fixture, InstabotSimulator instabot) {
        Map<String, String> properties = new HashMap<>();
        instabot.sourceProperties("push.instabot").forEach(properties::put);
        Application app = fixture.start(properties);
        app.sync().sync("mercury", false);
        return app;
    }

    /** A StepChat user made by someone else, through the platform's own API. */
    private static String addStepChatUser(StepChatSimulator stepchat, String email) throws Exception {
        String form = io.botsync.source.PlatformHttp.formEncode(Map.of("token", stepchat.adminToken(), "function", "add-user",
                "email", email, "first_name", "Already", "last_name", "There"));
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stepchat.url()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        return SimServer.JSON.readTree(reply.body()).path("response").asText();
    }
}
