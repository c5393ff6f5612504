package io.botsync.source.stepchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.cli.Botsync;
import io.botsync.sim.stepchat.SimCalls;
import io.botsync.sim.stepchat.StepChatSimulator;
import io.botsync.sync.RunResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real sync (Camel Main, pipeline, H2 warehouse) against the simulator; assertions on warehouse rows. */
class StepChatSyncTest {

    private StepChatSimulator sim;
    private final Map<String, String> properties = new HashMap<>();

    @BeforeEach
    void start() {
        sim = StepChatSimulator.start(320, 99);
        String url = TestDatabases.freshH2();
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        properties.putAll(sim.sourceProperties("stepchat"));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private RunResult sync(boolean full) {
        try (Application app = Application.start(properties)) {
            return app.sync().sync("stepchat", full);
        }
    }

    private List<Map<String, Object>> rows(String sql) {
        try (Application app = Application.start(properties);
             Connection connection = app.warehouse().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnLabel(i).toLowerCase(), result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, Map<String, Object>> users() {
        Map<String, Map<String, Object>> users = new HashMap<>();
        rows("SELECT * FROM crm_user WHERE source = 'stepchat'").forEach(r -> users.put((String) r.get("external_id"), r));
        return users;
    }

    private Set<String> contactIds() {
        Set<String> ids = new HashSet<>();
        sim.ids("visitor", "lead", "user").forEach(id -> ids.add(String.valueOf(id)));
        return ids;
    }

    @Test
    void firstSyncThenNewAndUpdatedUsersLandAsCrmUsers() {
        RunResult first = sync(false);
        assertTrue(first.ok(), first.summary());
        assertEquals("full", first.mode());
        assertEquals(contactIds(), users().keySet(), "every contact, no agent or admin");

        sim.advance(Duration.ofHours(1));
        long changed = sim.ids("lead").get(7);
        sim.change(changed);
        sim.mutate(0, 2);
        RunResult second = sync(false);

        assertTrue(second.ok(), second.summary());
        assertEquals("incremental", second.mode());
        assertEquals(2, second.counts().inserted());
        assertEquals(1, second.counts().updated());
        Map<String, Map<String, Object>> users = users();
        assertEquals(contactIds(), users.keySet());
        JsonNode source = SimCalls.getUser(sim, changed);
        Map<String, Object> row = users.get(String.valueOf(changed));
        assertEquals(source.get("email").asText().toLowerCase(), row.get("email"));
        assertEquals(source.get("first_name").asText() + " " + source.get("last_name").asText(), row.get("display_name"));
        assertEquals("lead", row.get("user_type"));
    }

    @Test
    void noLoginTokenOrPasswordOrAdminTokenReachesAnyTable() {
        sim.advance(Duration.ofMinutes(1));
        sim.setRawLastActivity(sim.ids("user").get(0), "not a date"); // also lands a payload in rejected_record
        assertTrue(sync(false).ok());
        sim.advance(Duration.ofHours(1));
        sim.mutate(5, 5);
        assertTrue(sync(false).ok());

        Set<String> secrets = new HashSet<>(List.of(sim.adminToken()));
        for (JsonNode user : SimCalls.response(sim, "get-users", Map.of())) {
            secrets.add(user.get("token").asText());
            if (!user.get("password").asText().isEmpty()) {
                secrets.add(user.get("password").asText());
            }
        }
        assertTrue(secrets.size() > 300, "the simulator hands out tokens and passwords for this to prove anything");
        StringBuilder everything = new StringBuilder();
        for (Map<String, Object> table : rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'")) {
            rows("SELECT * FROM \"" + table.get("table_name") + "\"").forEach(row -> everything.append(row).append('\n'));
        }
        assertTrue(everything.indexOf("not a date") >= 0, "the rejected payload is in the dump");
        for (String secret : secrets) {
            assertFalse(everything.indexOf(secret) >= 0, "a secret reached the warehouse");
        }
    }

    @Test
    void anUnparseableLastActivityIsRejectedWhileTheRestOfItsPageLands() {
        assertTrue(sync(false).ok());
        sim.advance(Duration.ofHours(1));
        List<Long> users = sim.ids("user");
        users.subList(0, 3).forEach(sim::change);
        sim.setRawLastActivity(users.get(1), "2024-13-45 25:61:00");

        RunResult run = sync(false);

        assertTrue(run.ok(), run.summary());
        assertEquals(1, run.counts().rejected());
        List<Map<String, Object>> rejected = rows("SELECT * FROM rejected_record");
        assertEquals(1, rejected.size());
        assertEquals(String.valueOf(users.get(1)), rejected.get(0).get("external_id"));
        assertTrue(((String) rejected.get(0).get("reason")).contains("updated_at"), (String) rejected.get(0).get("reason"));
        Map<String, Map<String, Object>> rows = users();
        for (long id : List.of(users.get(0), users.get(2))) {
            String email = SimCalls.getUser(sim, id).path("email").asText(null);
            assertEquals(email == null ? null : email.toLowerCase(), rows.get(String.valueOf(id)).get("email"));
        }
        assertNull(rejected.get(0).get("resolved_at"));

        sim.advance(Duration.ofHours(1)); // the platform mends the record: an incremental run lands it
        sim.setRawLastActivity(users.get(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
                .format(sim.now()));
        RunResult mended = sync(false);

        assertEquals(0, mended.counts().rejected(), mended.summary());
        assertTrue(users().containsKey(String.valueOf(users.get(1))));
        rejected = rows("SELECT * FROM rejected_record");
        assertEquals(1, rejected.size());
        assertNotNull(rejected.get(0).get("resolved_at"), "the record landed: its rejection is resolved");
    }

    @Test
    void aWrongTokenExitsOneAndLeavesTheCursorAlone() {
        assertTrue(sync(false).ok());
        String cursor = (String) rows("SELECT cursor FROM sync_state WHERE source = 'stepchat'").get(0).get("cursor");
        properties.put("botsync.stepchat.token", "wrong-token-4711");
        properties.forEach(System::setProperty);
        int code;
        try {
            code = Botsync.execute("sync", "stepchat");
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }

        assertEquals(Botsync.SOURCE_FAILED, code);
        assertEquals(cursor, rows("SELECT cursor FROM sync_state WHERE source = 'stepchat'").get(0).get("cursor"));
        Map<String, Object> run = rows("SELECT * FROM sync_run ORDER BY id DESC").get(0);
        assertEquals("failed", run.get("status"));
        assertTrue(((String) run.get("error")).contains("botsync.stepchat.token"), (String) run.get("error"));
        assertFalse(((String) run.get("error")).contains("wrong-token-4711"));
    }

    @Test
    void aCompletedFullScanMarksTheUsersItDidNotSeeDeleted() {
        assertTrue(sync(false).ok());
        List<Long> leads = sim.ids("lead");
        sim.delete(leads.get(2));
        sim.delete(leads.get(40));

        RunResult incremental = sync(false);
        assertEquals(0, incremental.counts().deleted(), "only a full scan marks deletions");
        RunResult full = sync(true);

        assertTrue(full.ok(), full.summary());
        assertEquals(2, full.counts().deleted());
        Map<String, Map<String, Object>> rows = users();
        rows.forEach((id, row) -> assertEquals(
                id.equals(String.valueOf(leads.get(2))) || id.equals(String.valueOf(leads.get(40))), row.get("deleted"), id));
    }

    @Test
    void aFullScanThatLostAUserToAMidScanDeletionMarksNobody() {
        assertTrue(sync(false).ok());
        List<Long> contacts = sim.ids("visitor", "lead", "user");
        AtomicBoolean done = new AtomicBoolean();
        sim.beforeEachCall(call -> {
            if ("2".equals(call.get("pagination")) && "[\"creation_time\",\"ASC\"]".equals(call.get("sorting"))
                    && done.compareAndSet(false, true)) {
                sim.delete(contacts.get(0));
            }
        });

        RunResult full = sync(true);

        assertFalse(full.ok());
        assertTrue(full.error().contains("marks nobody deleted"), full.error());
        assertTrue(users().values().stream().noneMatch(row -> Boolean.TRUE.equals(row.get("deleted"))));
    }
}
