package io.botsync.push;

import static io.botsync.push.PushFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.BotsyncProcess;
import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.crm.CrmSimulator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code push} as a JVM of its own, killed with SIGKILL at several points of a round (points drawn at random, seeded;
 * the seed is in every failure message) and started again until a round completes, against each real target: the
 * webhook, the HubSpot-shaped CRM, a MariaDB contacts table, RabbitMQ, Instabot and StepChat write-back. Every change
 * arrives at least once; what a receiver that drops repeated keys keeps is every change once, in order; each target
 * ends holding every user as it is now, and a platform holds no twin.
 */
class PushKillTest {

    private static final int USERS = 300;
    private static final int KILLS = 3;

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    @Test
    void theWebhookGetsEveryChangeAtLeastOnceAndInOrderOnceRepeatsAreDropped() throws Exception {
        try (PushFixture fixture = new PushFixture("postgresql", USERS)) {
            fixture.receiver.beforeAnswer(request -> sleep(5));
            List<String> changes = prepare(fixture, Map.of());
            killedAndResumed(fixture, Map.of(), "crm");
            List<String> keys = fixture.receiver.accepted().stream().map(WebhookReceiver.Received::idempotencyKey).toList();
            assertEquals(changes, keys.stream().distinct().toList(), "every change once, in order, repeats dropped" + where());
            assertTrue(keys.size() >= changes.size(), where());
        }
    }

    @Test
    void theCrmEndsHoldingEveryContactWithAnEmailAsItIsNow() throws Exception {
        try (PushFixture fixture = new PushFixture("postgresql", USERS);
             CrmSimulator crm = new CrmSimulator("kill-test-token", 0)) {
            crm.delay(150);
            Map<String, String> target = crm.pushProperties();
            prepare(fixture, target);
            Map<String, String> pointed = new HashMap<>(target);
            pointed.put("botsync.push.hubspot.requests-per-second", "100");
            killedAndResumed(fixture, pointed, "hubspot");
            Application app = fixture.start(Map.of());
            for (String row : strings(app, "SELECT email || '|' || COALESCE(first_name, '') FROM contact"
                    + " WHERE NOT deleted AND email IS NOT NULL")) {
                String email = row.substring(0, row.indexOf('|'));
                assertTrue(crm.contacts().containsKey(email), email + where());
                assertEquals(row.substring(row.indexOf('|') + 1), crm.contacts().get(email).path("firstname").asText(""), email + where());
            }
        }
    }

    @Test
    void aMariaDbContactsTableEndsHoldingEveryUserAsItIsNow() throws Exception {
        String contacts = TestDatabases.freshMariaDb();
        try (Connection connection = DriverManager.getConnection(contacts, "root", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE contacts (source varchar(32) NOT NULL, external_id varchar(128) NOT NULL,"
                    + " email varchar(320), phone varchar(32), first_name varchar(200), last_name varchar(200),"
                    + " display_name varchar(400), deleted boolean NOT NULL, change_id bigint NOT NULL,"
                    + " synced_at datetime(6) NOT NULL, PRIMARY KEY (source, external_id))");
        }
        try (PushFixture fixture = new PushFixture("postgresql", USERS * 4)) {
            Map<String, String> target = Map.of("botsync.push.contactsdb.url", contacts, "botsync.push.contactsdb.user", "root");
            prepare(fixture, target);
            killedAndResumed(fixture, target, "contactsdb");
            String columns = "source, external_id, email, phone, first_name, last_name, display_name";
            assertEquals(TestDatabases.rows(fixture.url, "SELECT " + columns + " FROM crm_user ORDER BY source, external_id"),
                    TestDatabases.rows(contacts, "SELECT " + columns + " FROM contacts ORDER BY source, external_id"), where());
        }
    }

    @Test
    void rabbitMqGetsEveryChangeAtLeastOnceAndInOrderOnceRepeatsAreDropped() throws Exception {
        try (PushFixture fixture = new PushFixture("postgresql", USERS * 2); RabbitQueue queue = new RabbitQueue()) {
            Map<String, String> target = Map.of("botsync.push.rabbitmq.url", RabbitQueue.URL,
                    "botsync.push.rabbitmq.queue", queue.name);
            List<String> changes = prepare(fixture, target);
            killedAndResumed(fixture, target, "rabbitmq");
            List<String> keys = queue.drain().stream().map(RabbitQueue.Delivered::messageId).toList();
            assertEquals(changes, keys.stream().distinct().toList(), "every change once, in order, repeats dropped" + where());
        }
    }

    @Test
    void instabotEndsWithOneUserForEachWarehouseUserAndNoTwin() throws Exception {
        try (PushFixture fixture = new PushFixture("postgresql", USERS);
             io.botsync.sim.instabot.InstabotSimulator instabot = new io.botsync.sim.instabot.InstabotSimulator(4, 5)) {
            instabot.faults().before(request -> sleep(3));
            Map<String, String> target = new HashMap<>();
            instabot.sourceProperties("push.instabot").forEach(target::put);
            prepare(fixture, target);
            killedAndResumed(fixture, target, "instabot");
            long users = Long.parseLong(TestDatabases.rows(fixture.url, "SELECT COUNT(*) FROM crm_user WHERE NOT deleted")
                    .get(0).get(0).toString());
            assertEquals(4 + users, instabot.userCount(), "one Instabot user each, none twice" + where());
        }
    }

    @Test
    void stepChatEndsWithOneUserForEachWarehouseUserAndNoTwin() throws Exception {
        try (PushFixture fixture = new PushFixture("postgresql", USERS);
             io.botsync.sim.stepchat.StepChatSimulator stepchat = io.botsync.sim.stepchat.StepChatSimulator.start(5, 3)) {
            stepchat.beforeEachCall(call -> sleep(2));
            int before = stepchat.userCount();
            Map<String, String> target = Map.of("botsync.push.stepchat.url", stepchat.url(),
                    "botsync.push.stepchat.token", stepchat.adminToken());
            prepare(fixture, target);
            killedAndResumed(fixture, target, "stepchat");
            // users of several warehouse rows that share an email are one StepChat user (adopted on duplicate-email)
            long people = Long.parseLong(TestDatabases.rows(fixture.url, "SELECT COUNT(DISTINCT COALESCE(email, external_id))"
                    + " FROM crm_user WHERE NOT deleted").get(0).get(0).toString());
            assertEquals(before + people, stepchat.userCount(), "one StepChat user each, none twice" + where());
        }
    }

    /** Syncs the users in, then changes some and syncs again, so that the outbox holds inserts and updates. */
    private List<String> prepare(PushFixture fixture, Map<String, String> target) throws Exception {
        Application app = fixture.start(target);
        app.sync().sync("mercury", false);
        fixture.mercury.mutate(USERS / 10, 5);
        app.sync().sync("mercury", false);
        List<String> due = strings(app, "SELECT c.id FROM user_change c JOIN crm_user u ON u.source = c.source"
                + " AND u.external_id = c.external_id WHERE u.content_hash = c.content_hash ORDER BY c.id");
        return new ArrayList<>(due);
    }

    /** Kills {@code push} at random points of its round (by the position it has committed), then lets one finish. */
    private void killedAndResumed(PushFixture fixture, Map<String, String> target, String name) throws Exception {
        Map<String, String> properties = fixture.properties(target);
        long head = Long.parseLong(TestDatabases.rows(fixture.url, "SELECT MAX(id) FROM user_change").get(0).get(0).toString());
        long first = Long.parseLong(TestDatabases.rows(fixture.url, "SELECT MIN(id) FROM user_change").get(0).get(0).toString());
        List<Long> points = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            points.add(first + (long) ((head - first) * (0.15 + 0.7 * random.nextDouble())));
        }
        points.sort(null);
        for (long point : points) {
            BotsyncProcess push = BotsyncProcess.start(properties, "push", name);
            while (push.alive() && position(fixture, name) < point) {
                Thread.sleep(2);
            }
            assertTrue(push.alive(), "the round ended before its kill point " + point + where() + "\n" + push.output());
            push.kill();
        }
        BotsyncProcess rest = BotsyncProcess.start(properties, "push", name);
        assertEquals(0, rest.exitCode(), rest.output() + where());
        assertEquals(head, position(fixture, name), "the last round reached the head" + where());
    }

    private static long position(PushFixture fixture, String target) {
        try {
            List<List<Object>> rows = TestDatabases.rows(fixture.url, "SELECT change_id FROM push_position WHERE target = '" + target + "'");
            return rows.isEmpty() ? 0 : (Long) rows.get(0).get(0);
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }

    private String where() {
        return " (seed " + seed + ")";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
