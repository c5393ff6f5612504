package io.botsync.push;

import static io.botsync.push.PushFixture.count;
import static io.botsync.push.PushFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.cli.Application;
import io.botsync.sim.crm.CrmSimulator;
import io.botsync.sim.instabot.InstabotSimulator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped push route to a HubSpot-shaped CRM (routes/push-hubspot.yaml, mappings/push/hubspot.jslt) against the
 * CRM simulator on loopback: contacts by email in batches of up to 100, a 207's refused inputs parked alone, a 429's
 * Retry-After waited for within the route's request budget.
 */
class CrmPushTest {

    private static final int USERS = 250;
    private static final String TOKEN = "hubspot-private-app-token-77";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void everyUserWithAnEmailBecomesAContactAndARefusedInputIsParkedAlone(String kind) throws Exception {
        try (PushFixture fixture = new PushFixture(kind, USERS); CrmSimulator crm = new CrmSimulator(TOKEN, 0)) {
            Map<String, String> users = new java.util.HashMap<>(crm.pushProperties());
            users.put("botsync.push.hubspot.entity", "users");
            Application app = fixture.start(users);
            app.sync().sync("mercury", false);
            List<String> emails = strings(app, "SELECT email FROM crm_user WHERE email IS NOT NULL ORDER BY email");
            assertTrue(emails.size() > 100, "enough users with an email for several requests: " + emails.size());
            String refused = emails.get(17);
            crm.refuse(refused::equals);

            PushResult result = app.push().push("hubspot");

            assertEquals(PushResult.Status.SUCCEEDED, result.status(), result.summary());
            assertEquals(1, result.parked(), result.summary());
            assertEquals(USERS - emails.size(), result.passedOver(), "users without an email are left out");
            assertEquals(emails.size() - 1, crm.contacts().size(), "every other user is a contact, by email");
            assertEquals((int) Math.ceil(USERS / 100.0), crm.requests(), "up to 100 changes a request");
            ObjectNode contact = crm.contacts().get(emails.get(0));
            String external = strings(app, "SELECT external_id FROM crm_user WHERE email = '" + emails.get(0) + "'").get(0);
            assertEquals(external, contact.path("botsync_external_id").asText());
            assertEquals(strings(app, "SELECT first_name FROM crm_user WHERE email = '" + emails.get(0) + "'").get(0),
                    contact.path("firstname").asText(null));
            assertEquals(List.of(refused), strings(app, "SELECT u.email FROM push_parked p JOIN crm_user u"
                    + " ON u.source = p.source AND u.external_id = p.external_id WHERE p.target = 'hubspot'"));
            String reason = strings(app, "SELECT reason FROM push_parked").get(0);
            assertTrue(reason.contains("HTTP 207") && reason.contains(refused), reason);
            assertFalse(reason.contains(TOKEN), reason);

            crm.refuse(email -> false);
            PushResult retried = app.push().retryParked("hubspot");
            assertEquals(1, retried.delivered(), retried.summary());
            assertEquals(emails.size(), crm.contacts().size());
            assertEquals(0, count(app, "SELECT COUNT(*) FROM push_parked"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void byDefaultTheCrmGetsOnePersonPerContactNotOnePerPlatformUser(String kind) throws Exception {
        try (PushFixture fixture = new PushFixture(kind, USERS); CrmSimulator crm = new CrmSimulator(TOKEN, 0);
             InstabotSimulator instabot = new InstabotSimulator(4, 5)) {
            Map<String, String> properties = new java.util.HashMap<>(crm.pushProperties());
            properties.putAll(instabot.sourceProperties("instabot"));
            Application app = fixture.start(properties);
            app.sync().sync("mercury", false);
            // three Mercury people also talk to the Instabot bot, with the same email in capitals
            for (String email : strings(app, "SELECT email FROM crm_user WHERE email IS NOT NULL ORDER BY external_id").subList(0, 3)) {
                instabot.addPerson("Same", "Person", email.toUpperCase(java.util.Locale.ROOT), null);
            }
            app.sync().sync("instabot", false);
            long sharing = count(app, "SELECT COUNT(*) FROM contact WHERE NOT deleted AND member_count > 1");
            long contacts = count(app, "SELECT COUNT(*) FROM contact WHERE NOT deleted AND email IS NOT NULL");
            assertEquals(3, sharing, "the three people on both platforms");

            PushResult result = app.push().push("hubspot");

            assertEquals(PushResult.Status.SUCCEEDED, result.status(), result.summary());
            assertEquals(contacts, result.delivered(), result.summary());
            assertEquals(count(app, "SELECT COUNT(DISTINCT email) FROM contact WHERE email IS NOT NULL"), crm.contacts().size());
            String email = strings(app, "SELECT email FROM contact WHERE NOT deleted AND email IS NOT NULL ORDER BY id").get(0);
            ObjectNode record = crm.contacts().get(email);
            assertEquals("contact", record.path("botsync_source").asText());
            assertEquals(strings(app, "SELECT id FROM contact WHERE email = '" + email + "' AND NOT deleted").get(0),
                    record.path("botsync_external_id").asText());
            assertTrue(crm.contacts().size() < count(app,
                    "SELECT COUNT(*) FROM crm_user WHERE email IS NOT NULL"), "fewer people than users with an email");
            assertEquals("contacts", strings(app, "SELECT feed FROM push_position WHERE target = 'hubspot'").get(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aCrmOverItsBudgetIsWaitedForAndEveryContactStillArrives(String kind) throws Exception {
        try (PushFixture fixture = new PushFixture(kind, USERS); CrmSimulator crm = new CrmSimulator(TOKEN, 1)) {
            Application app = fixture.start(Map.of("botsync.push.hubspot.url", crm.baseUrl(), "botsync.push.hubspot.token", TOKEN,
                    "botsync.push.hubspot.requests-per-second", "5"));
            app.sync().sync("mercury", false);

            PushResult result = app.push().push("hubspot");

            assertEquals(PushResult.Status.SUCCEEDED, result.status(), result.summary());
            assertEquals(0, result.parked());
            assertEquals(count(app, "SELECT COUNT(DISTINCT email) FROM contact WHERE email IS NOT NULL"), crm.contacts().size());
            assertTrue(crm.requests() > (int) Math.ceil(USERS / 100.0), "some requests were answered 429 and sent again: "
                    + crm.requests());
        }
    }
}
