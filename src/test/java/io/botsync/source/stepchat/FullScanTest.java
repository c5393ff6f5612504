package io.botsync.source.stepchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.SourceException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --full}: every user, or a failure; never a pass that completes having skipped someone. */
class FullScanTest {

    private StepChatHarness h;

    @BeforeEach
    void start() {
        h = new StepChatHarness(450, 7);
        h.sync(false);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Set<Long> contacts() {
        return new HashSet<>(h.sim.ids("visitor", "lead", "user"));
    }

    private static boolean scanPage(java.util.Map<String, String> call, int page) {
        return "[\"creation_time\",\"ASC\"]".equals(call.get("sorting")) && String.valueOf(page).equals(call.get("pagination"));
    }

    @Test
    void aFullScanReturnsExactlyTheUsersThatExistSoTheDeletedOnesCanBeMarked() {
        List<Long> leads = h.sim.ids("lead");
        h.sim.delete(leads.get(0));
        h.sim.delete(leads.get(5));

        StepChatHarness.Result full = h.sync(true);

        assertTrue(full.fullScan);
        assertEquals(contacts(), full.ids());
        assertFalse(full.ids().contains(leads.get(0)));
        assertEquals(full.records().size(), full.ids().size(), "nothing read twice when nothing moves");
    }

    @Test
    void aUserDeletedMidScanFailsThePassInsteadOfMarkingTheSkippedOneDeleted() {
        // one page at a time, so that the deletion falls between pages 1 and 2 (pages fetched ahead: the next test)
        h.properties.put("botsync.stepchat.concurrency", "1");
        String before = h.committedCursor;
        AtomicBoolean deleted = new AtomicBoolean();
        List<Long> contactsInIdOrder = h.sim.ids("visitor", "lead", "user");
        long skipped = contactsInIdOrder.get(100); // first of page 2: it slides onto page 1 when page 1 loses a user
        h.sim.beforeEachCall(call -> {
            if (scanPage(call, 2) && deleted.compareAndSet(false, true)) {
                h.sim.delete(contactsInIdOrder.get(3));
            }
        });

        Pass pass = h.reader().open(h.committedCursor, true);
        Set<Long> seen = new HashSet<>();
        SourceException failure = null;
        try {
            Page page;
            do {
                page = pass.next();
                page.records().forEach(r -> seen.add(r.get("id").asLong()));
                if (!page.last()) {
                    assertEquals(before, page.cursor(), "a full scan does not move the cursor mid-way");
                }
            } while (!page.last());
        } catch (SourceException e) {
            failure = e;
        }

        assertFalse(seen.contains(skipped), "the scenario really skips a user");
        assertTrue(failure != null, "a scan that skipped user " + skipped + " must not complete");
        assertTrue(failure.getMessage().startsWith("stepchat: the full scan saw"), failure.getMessage());
    }

    /**
     * With pages fetched ahead, which of them a deletion falls before depends on the order the simulator's threads answer
     * in: a scan either skips nobody, or fails its verification. Never does it complete having skipped a user.
     */
    @Test
    void withPagesFetchedAheadAScanCompletesOnlyWhenItSkippedNobody() {
        for (int round = 0; round < 6; round++) {
            List<Long> contactsInIdOrder = h.sim.ids("visitor", "lead", "user");
            Set<Long> existing = contacts();
            long gone = contactsInIdOrder.get(round);
            int page = 2 + round % 3;
            AtomicBoolean deleted = new AtomicBoolean();
            h.sim.beforeEachCall(call -> {
                if (scanPage(call, page) && deleted.compareAndSet(false, true)) {
                    h.sim.delete(gone);
                }
            });
            try {
                StepChatHarness.Result full = h.sync(true);
                existing.remove(gone);
                assertTrue(full.ids().containsAll(existing), "a completed scan read everyone who was there throughout");
            } catch (SourceException e) {
                assertTrue(e.getMessage().startsWith("stepchat: the full scan saw"), e.getMessage());
            }
            assertTrue(deleted.get(), "round " + round + " deleted a user mid-scan");
        }
        h.sim.beforeEachCall(null);
    }

    @Test
    void usersActiveOrCreatedDuringTheScanNeitherBreakItNorGetLost() {
        List<Long> contactsInIdOrder = h.sim.ids("visitor", "lead", "user");
        Set<Long> before = contacts();
        long greatestIdBefore = h.sim.ids("visitor", "lead", "user", "agent", "admin").stream().max(Long::compare).orElseThrow();
        h.sim.beforeEachCall(call -> {
            if (scanPage(call, 2) || scanPage(call, 3)) {
                h.sim.advance(Duration.ofMinutes(1));
                h.sim.touch(contactsInIdOrder.get(350)); // would jump to page 1 of a last_activity scan
                h.sim.mutate(0, 1);
            }
        });

        StepChatHarness.Result full = h.sync(true);

        assertTrue(full.ids().containsAll(before));
        assertEquals(greatestIdBefore, StepChatCursor.parse(h.committedCursor).lastId(),
                "users created during the scan are left to the next pass's get-new-users");
        h.sim.beforeEachCall(null);
        h.sim.advance(Duration.ofHours(1));
        StepChatHarness.Result next = h.sync(false);
        Set<Long> created = contacts();
        created.removeAll(before);
        assertEquals(2, created.size());
        assertTrue(next.ids().containsAll(created));
        assertTrue(next.ids().contains(contactsInIdOrder.get(350)), "activity during the scan is read by the next pass");
    }

    @Test
    void staffCanBeIncludedAndTheScanStillVerifies() {
        h.properties.put("botsync.stepchat.user-types", "visitor,lead,user,agent,admin");
        StepChatHarness.Result full = h.sync(true);
        assertEquals(new HashSet<>(h.sim.ids("visitor", "lead", "user", "agent", "admin")), full.ids());
    }
}
