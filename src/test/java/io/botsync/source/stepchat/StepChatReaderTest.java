package io.botsync.source.stepchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Timestamps;
import io.botsync.sim.stepchat.SimCalls;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.SourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepChatReaderTest {

    private StepChatHarness h;

    @BeforeEach
    void start() {
        h = new StepChatHarness(350, 42);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Set<Long> contacts() {
        return new HashSet<>(h.sim.ids("visitor", "lead", "user"));
    }

    private StepChatCursor cursor() {
        return StepChatCursor.parse(h.committedCursor);
    }

    private static final String CONTACT_TYPES = "[\"visitor\",\"lead\",\"user\"]";

    /** The users an incremental pass re-reads anyway: active within the lookback before the committed cursor. */
    private Set<Long> overlap(String types) {
        Instant floor = cursor().lastActivity().minus(Duration.ofMinutes(10));
        Set<Long> ids = new HashSet<>();
        SimCalls.activities(h.sim, types).forEach((id, activity) -> {
            if (!activity.isBefore(floor)) {
                ids.add(id);
            }
        });
        return ids;
    }

    private static Set<Long> union(Set<Long> a, java.util.Collection<Long> b) {
        Set<Long> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void firstSyncIsAVerifiedFullScanOfEveryContactWithDetailsAndWithoutSecrets() {
        StepChatHarness.Result first = h.sync(false);

        assertTrue(first.fullScan, "with no cursor and no start-date the first run is a full scan");
        assertEquals(contacts(), first.ids());
        assertEquals(contacts().size() / 100 + 1, first.pages.size(), "pages of 100, the last one short");
        assertTrue(h.sim.ids("agent", "admin").size() > 0, "the seed must hold some staff for this test to mean anything");
        for (ObjectNode user : first.records()) {
            assertFalse(user.has("token") || user.has("password"), "secrets left in " + user.get("id"));
            assertTrue(user.get("details").isArray());
        }
        long greatestId = h.sim.ids("visitor", "lead", "user", "agent", "admin").stream().max(Long::compare).orElseThrow();
        assertEquals(greatestId, cursor().lastId());
        assertEquals(newestContactActivity(first), cursor().lastActivity());
        assertTrue(first.pages.get(0).request().contains("sorting=[\"creation_time\",\"ASC\"]&pagination=1"));
    }

    @Test
    void secondSyncWithoutChangesReadsOnlyTheLookbackWindow() {
        StepChatHarness.Result first = h.sync(false);
        Instant floor = cursor().lastActivity().minus(Duration.ofMinutes(10));

        StepChatHarness.Result second = h.sync(false);

        assertFalse(second.fullScan);
        assertEquals(1, second.pages.size());
        for (ObjectNode user : second.records()) {
            assertFalse(Timestamps.parse(user.get("last_activity").asText()).isBefore(floor));
        }
        assertEquals(first.pages.get(first.pages.size() - 1).cursor(), h.committedCursor, "nothing new: the cursor stays");
        assertEquals(overlap(CONTACT_TYPES), second.ids(), "exactly the lookback window is re-read");
    }

    @Test
    void onlyNewUsersAreReadThroughGetNewUsersWithTheirDetails() {
        h.sync(false);
        long lastId = cursor().lastId();
        Set<Long> overlap = overlap(CONTACT_TYPES);
        h.sim.advance(Duration.ofHours(1));
        h.sim.mutate(0, 5);
        Set<Long> added = new TreeSet<>(h.sim.ids("visitor", "lead", "user"));
        added.removeIf(id -> id <= lastId);

        StepChatHarness.Result run = h.sync(false);

        assertEquals(5, added.size());
        assertEquals(union(added, overlap), run.ids(), "the new users and the lookback overlap, nobody else");
        assertEquals(run.ids().size(), run.records().size(), "the activity scan skips users the new-users half returned");
        assertTrue(run.pages.get(0).request().startsWith("function=get-new-users&datetime=" + lastId));
        added.forEach(id -> assertTrue(run.record(id).get("details").isArray(), "new users come with details"));
        assertEquals(added.stream().max(Long::compare).orElseThrow(), cursor().lastId());
        assertEquals(h.sim.now(), cursor().lastActivity());
    }

    @Test
    void onlyUpdatedUsersAreFoundByTheActivityScan() {
        h.sync(false);
        StepChatCursor before = cursor();
        Set<Long> overlap = overlap(CONTACT_TYPES);
        h.sim.advance(Duration.ofHours(1));
        List<Long> some = h.sim.ids("lead").subList(0, 3);
        String oldEmail = SimCalls.getUser(h.sim, some.get(0)).path("email").asText("");
        some.forEach(h.sim::change);

        StepChatHarness.Result run = h.sync(false);

        assertEquals(union(overlap, some), run.ids());
        assertTrue(run.pages.stream().noneMatch(p -> p.request().contains("get-new-users")), "no new users, no id pages");
        assertFalse(run.record(some.get(0)).path("email").asText("").equals(oldEmail), "the changed email is read");
        assertEquals(before.lastId(), cursor().lastId());
        assertEquals(h.sim.now(), cursor().lastActivity());
    }

    @Test
    void newAndUpdatedUsersInOneRun() {
        h.sync(false);
        long lastId = cursor().lastId();
        Set<Long> overlap = overlap(CONTACT_TYPES);
        h.sim.advance(Duration.ofHours(1));
        h.sim.mutate(4, 3);
        Set<Long> expected = new HashSet<>();
        SimCalls.activities(h.sim, CONTACT_TYPES).forEach((id, activity) -> {
            if (id > lastId || activity.equals(h.sim.now())) {
                expected.add(id);
            }
        });

        StepChatHarness.Result run = h.sync(false);

        assertEquals(7, expected.size(), "4 changed and 3 added");
        assertEquals(union(expected, overlap), run.ids());
        assertEquals(h.sim.ids("visitor", "lead", "user", "agent", "admin").stream().max(Long::compare).orElseThrow(),
                cursor().lastId());
    }

    @Test
    void agentsAndAdminsAreLeftOutUnlessConfigured() {
        h.sync(false);
        Set<Long> contactOverlap = overlap(CONTACT_TYPES);
        Set<Long> everyoneOverlap = overlap("[\"visitor\",\"lead\",\"user\",\"agent\",\"admin\"]");
        h.sim.advance(Duration.ofHours(1));
        long agent = h.sim.ids("agent").get(0);
        h.sim.change(agent);
        long lead = h.sim.ids("lead").get(0);
        h.sim.change(lead);
        h.sim.mutate(0, 0);
        String saved = h.committedCursor;

        assertEquals(union(contactOverlap, List.of(lead)), h.sync(false).ids());

        h.committedCursor = saved;
        h.properties.put("botsync.stepchat.user-types", "visitor,lead,user,agent,admin");
        assertEquals(union(everyoneOverlap, List.of(lead, agent)), h.sync(false).ids());
        assertTrue(h.sim.calls().stream().anyMatch(c -> "[\"visitor\",\"lead\",\"user\",\"agent\",\"admin\"]".equals(c.get("user_types"))));
    }

    @Test
    void aWrongTokenFailsNamingTheKeyAndCommitsNothing() {
        h.sync(false);
        String saved = h.committedCursor;
        h.properties.put("botsync.stepchat.token", "not-the-admin-token-123");

        Pass pass = h.reader().open(saved, false);
        SourceException e = assertThrows(SourceException.class, pass::next);

        assertTrue(e.getMessage().contains("invalid-token"), e.getMessage());
        assertTrue(e.getMessage().contains("botsync.stepchat.token"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-admin-token-123"));
        assertEquals(saved, h.committedCursor);
        SourceException onFull = assertThrows(SourceException.class, () -> h.reader().open(null, true).next());
        assertTrue(onFull.getMessage().contains("botsync.stepchat.token"));
    }

    @Test
    void anUnparseableLastActivityIsStillReadWithTheRestOfItsPage() {
        h.sync(false);
        Set<Long> overlap = overlap(CONTACT_TYPES);
        h.sim.advance(Duration.ofHours(1));
        List<Long> leads = h.sim.ids("lead");
        leads.subList(0, 3).forEach(h.sim::change);
        h.sim.setRawLastActivity(leads.get(1), "13/05/2023 9:07");

        StepChatHarness.Result run = h.sync(false);

        assertEquals(union(overlap, leads.subList(0, 3)), run.ids());
        assertEquals("13/05/2023 9:07", run.record(leads.get(1)).get("last_activity").asText());
        assertEquals(h.sim.now(), cursor().lastActivity(), "the broken date does not move the cursor");
    }

    @Test
    void errorEnvelopesAndNonDataAnswersAreNeverTakenForData() {
        h.sync(false);
        String saved = h.committedCursor;
        Map<String, String> bodies = Map.of(
                "{\"success\":false,\"response\":\"MySQL error: Table 'sb_users' is marked as crashed\"}",
                "failed: MySQL error: Table 'sb_users' is marked as crashed",
                "<br />\n<b>Warning</b>:  Undefined index in api.php on line 12<br />",
                "not a StepChat envelope",
                "{\"response\":[]}",
                "not a StepChat envelope",
                "{\"success\":true,\"response\":\"ok\"}",
                "where a list of users belongs");
        bodies.forEach((body, expected) -> {
            h.sim.failNextCall(200, body);
            SourceException e = assertThrows(SourceException.class, () -> h.reader().open(saved, false).next());
            assertTrue(e.getMessage().startsWith("stepchat: ") && e.getMessage().contains(expected), e.getMessage());
        });
        h.sim.failNextCall(502, "Bad Gateway " + h.sim.adminToken());
        SourceException e = assertThrows(SourceException.class, () -> h.reader().open(saved, false).next());
        assertTrue(e.getMessage().contains("HTTP 502") && e.getMessage().contains("botsync.stepchat.url"), e.getMessage());
        assertFalse(e.getMessage().contains(h.sim.adminToken()), "an echoed token is blanked out");
        h.sim.failNextCall(403, "");
        assertTrue(assertThrows(SourceException.class, () -> h.reader().open(saved, false).next())
                .getMessage().contains("botsync.stepchat.token"));
    }

    @Test
    void responseFalseIsNoUsers() {
        h.sync(false);
        h.sim.advance(Duration.ofHours(1));
        h.sim.mutate(0, 2);
        Set<Long> overlap = overlap(CONTACT_TYPES);
        h.sim.failNextCall(200, "{\"success\":true,\"response\":false}"); // answers get-new-users
        StepChatHarness.Result run = h.sync(false);
        assertEquals(overlap, run.ids(), "response:false from get-new-users means no new users, not an error");
    }

    @Test
    void aCrashBetweenNewUserPagesResumesWithoutLosingAnyone() {
        h.sync(false);
        h.sim.advance(Duration.ofHours(1));
        h.sim.mutate(0, 250);
        long lastId = cursor().lastId();

        Pass crashed = h.reader().open(h.committedCursor, false);
        Page firstPage = crashed.next();
        h.committedCursor = firstPage.cursor(); // committed with its rows; then the process dies
        assertEquals(lastId + 100, cursor().lastId(), "each page of new users commits its greatest id");
        StepChatHarness.Result rerun = h.sync(false);

        Set<Long> seen = new HashSet<>(rerun.ids());
        firstPage.records().forEach(r -> seen.add(Long.valueOf(r.get("id").asText())));
        Set<Long> added = new HashSet<>(h.sim.ids("visitor", "lead", "user"));
        added.removeIf(id -> id <= lastId);
        assertTrue(seen.containsAll(added));
        assertFalse(rerun.pages.get(0).request().contains("datetime=" + lastId + " "), "the rerun starts after page 1");
    }

    @Test
    void aStartDateMakesTheFirstRunIncremental() {
        Instant newest = h.sim.now();
        h.properties.put("botsync.stepchat.start-date", Timestamps.SQL_SECONDS.format(newest.minus(Duration.ofDays(20))));
        StepChatHarness.Result run = h.sync(false);

        assertFalse(run.fullScan);
        assertTrue(run.pages.get(0).request().startsWith("function=get-new-users&datetime=2024-05-12 12:00:00"));
        Set<Long> expected = new HashSet<>();
        SimCalls.activities(h.sim, CONTACT_TYPES).forEach((id, activity) -> {
            if (!activity.isBefore(newest.minus(Duration.ofDays(20)).minus(Duration.ofMinutes(10)))) {
                expected.add(id);
            }
        });
        assertFalse(expected.isEmpty());
        assertEquals(expected, run.ids());
    }

    @Test
    void aBadStartDateOrUserTypeNamesItsKey() {
        h.properties.put("botsync.stepchat.start-date", "last tuesday");
        assertTrue(assertThrows(IllegalArgumentException.class, h::reader).getMessage().contains("botsync.stepchat.start-date"));
        h.properties.remove("botsync.stepchat.start-date");
        h.properties.put("botsync.stepchat.user-types", "visitor,bot");
        assertTrue(assertThrows(IllegalArgumentException.class, h::reader).getMessage().contains("botsync.stepchat.user-types"));
    }

    private Instant newestContactActivity(StepChatHarness.Result result) {
        return result.records().stream().map(r -> Timestamps.parse(r.get("last_activity").asText()))
                .max(Instant::compareTo).orElseThrow();
    }

}
