package io.botsync.source.instabot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.mapping.Timestamps;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.SourceException;
import io.botsync.source.SourceReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reader driven through whole passes against the simulator: which users come back, and the cursor. */
class InstabotReaderTest {

    private final InstabotFixture fixture = new InstabotFixture(230, 7);

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A first sync with the default page size; the small pages of a test are for the pass under test. */
    private String firstSync() {
        return InstabotFixture.run(fixture.reader(Map.of()), null, false).cursor();
    }

    private static String cursorDate(String cursorJson) {
        return cursorJson.replaceAll(".*\"lastUpdateDate\":\"([^\"]+)\".*", "$1");
    }

    private Instant greatestUpdateDate() {
        return fixture.sim.liveIds().stream()
                .map(id -> Timestamps.parse(fixture.sim.user(id).get("updateDate").asText()))
                .max(Instant::compareTo).orElseThrow();
    }

    @Test
    void firstSyncReadsEveryUserAndCommitsTheGreatestUpdateDateOnlyAtTheEnd() {
        InstabotFixture.Run run = InstabotFixture.run(fixture.reader(Map.of()), null, false);

        assertTrue(run.fullScan(), "a first run has no cursor, so it is a full scan");
        assertEquals(new TreeSet<>(fixture.liveIds()), new TreeSet<>(run.users().keySet()));
        assertTrue(run.pages().size() > 3);
        run.pages().subList(0, run.pages().size() - 1).forEach(page -> assertNull(page.cursor(),
                "a page before the last must not commit a cursor: " + page.request()));
        assertEquals(greatestUpdateDate(), Instant.parse(cursorDate(run.cursor())));
        assertTrue(run.requests().get(0).startsWith("GET /v1/users?type=all&limit=100&skip=0"), run.requests().get(0));
        // the catch-up read of what changed while the scan ran
        assertTrue(run.requests().get(run.requests().size() - 1).startsWith("GET /v1/users/lastUpdated?since="));
        run.requests().forEach(request -> assertFalse(request.contains("sim-instabot"), "no key in " + request));
    }

    @Test
    void incrementalReturnsTheChangedAndAddedUsersInTheirNewVersion() {
        SourceReader reader = fixture.reader(Map.of("botsync.instabot.page-size", "3", "botsync.instabot.page-overlap", "1"));
        String cursor = firstSync();
        Instant since = Instant.parse(cursorDate(cursor)).minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        Set<String> before = updatedSince(since);

        fixture.sim.mutate(6, 4);
        Set<String> changed = updatedSince(since);
        changed.removeAll(before);
        assertTrue(changed.size() >= 8, "mutate changed or added " + changed);

        InstabotFixture.Run run = InstabotFixture.run(reader, cursor, false);

        assertFalse(run.fullScan());
        assertEquals(updatedSince(since), new TreeSet<>(run.users().keySet()));
        assertTrue(run.users().keySet().containsAll(changed));
        changed.forEach(id -> assertEquals(fixture.sim.user(Long.parseLong(id)).get("email"), run.users().get(id).get("email")));
        assertTrue(run.requests().get(0).startsWith("GET /v1/users/lastUpdated?since="
                + Timestamps.ISO_SECONDS.format(since).replace(":", "%3A") + "&type=all&limit=3&skip=0"), run.requests().get(0));
        assertEquals(greatestUpdateDate(), Instant.parse(cursorDate(run.cursor())));
    }

    /** The live users whose updateDate is at or after the instant, by objectId text. */
    private Set<String> updatedSince(Instant since) {
        Set<String> ids = new TreeSet<>();
        fixture.sim.liveIds().forEach(id -> {
            if (!Timestamps.parse(fixture.sim.user(id).get("updateDate").asText()).isBefore(since)) {
                ids.add(String.valueOf(id));
            }
        });
        return ids;
    }

    @Test
    void usersSharingTheCursorsSecondAcrossPageBoundariesAreNeverLost() {
        SourceReader reader = fixture.reader(Map.of("botsync.instabot.page-size", "2",
                "botsync.instabot.page-overlap", "1", "botsync.instabot.lookback", "0s"));
        String start = firstSync();
        List<Long> ids = fixture.sim.liveIds();

        // five users changed within one second, so that they straddle several pages of two
        String[] fractions = {".1", ".25", ".3", ".4444444", ".5"};
        for (int i = 0; i < fractions.length; i++) {
            fixture.sim.clock(Clock.fixed(Instant.parse("2024-03-01T10:00:00" + fractions[i] + "Z"), ZoneOffset.UTC));
            fixture.sim.change(ids.get(i * 10));
        }

        // a run cut off after its first page commits that page's cursor; the rerun from it must still see all five
        Pass cut = reader.open(start, false);
        Page first = cut.next();
        assertFalse(first.last());
        assertEquals(start, first.cursor(), "a page before the last carries the cursor the pass started from");
        InstabotFixture.Run rerun = InstabotFixture.run(reader, first.cursor(), false);
        Set<String> five = Set.of(ids.get(0) + "", ids.get(10) + "", ids.get(20) + "", ids.get(30) + "", ids.get(40) + "");
        assertTrue(rerun.users().keySet().containsAll(five), rerun.users().keySet().toString());
        assertEquals(updatedSince(Instant.parse(cursorDate(start)).truncatedTo(ChronoUnit.SECONDS)), rerun.users().keySet(),
                "the five, and whoever shares the start cursor's second");
        assertEquals("2024-03-01T10:00:00.500Z", cursorDate(rerun.cursor()));

        // two more changes in the cursor's own second, after the cursor: since is whole seconds and inclusive
        fixture.sim.clock(Clock.fixed(Instant.parse("2024-03-01T10:00:00.7Z"), ZoneOffset.UTC));
        fixture.sim.change(ids.get(50));
        fixture.sim.change(ids.get(60));
        InstabotFixture.Run next = InstabotFixture.run(reader, rerun.cursor(), false);
        assertTrue(next.requests().get(0).startsWith("GET /v1/users/lastUpdated?since=2024-03-01T10%3A00%3A00&"), next.requests().get(0));
        assertTrue(next.users().keySet().containsAll(Set.of(ids.get(50) + "", ids.get(60) + "")), next.users().keySet().toString());
        assertEquals(7, next.users().size(), "the five of the same second are read again, harmlessly");
        assertEquals("2024-03-01T10:00:00.700Z", cursorDate(next.cursor()));
    }

    @Test
    void aFullScanLosesNobodyWhenUsersAreDeletedBehindItWhileItPages() {
        SourceReader reader = fixture.reader(Map.of("botsync.instabot.page-size", "20", "botsync.instabot.page-overlap", "3"));
        List<Long> ids = fixture.sim.liveIds();
        // Before pages 3 and 5 five users the scan has already read are deleted: everyone behind them shifts
        // five places forward, more than the overlap of three absorbs, so plain skip paging would lose users.
        fixture.sim.beforePage(page -> {
            if (page == 3 || page == 5) {
                for (int i = 0; i < 5; i++) {
                    fixture.sim.delete(ids.get((page - 3) * 5 + i));
                }
            }
        });

        InstabotFixture.Run run = InstabotFixture.run(reader, null, true);

        assertTrue(run.users().keySet().containsAll(fixture.liveIds()),
                "missing: " + fixture.liveIds().stream().filter(id -> !run.users().containsKey(id)).toList());
        assertEquals(220, fixture.sim.userCount());
        assertTrue(run.requests().stream().filter(r -> r.startsWith("GET /v1/users?") && r.endsWith("skip=0")).count() >= 2,
                "the scan was read again from the start: " + run.requests());
    }

    @Test
    void anIncrementalLosesNobodyWhenUsersItHasReadChangeAgainWhileItPages() {
        SourceReader reader = fixture.reader(Map.of("botsync.instabot.page-size", "10", "botsync.instabot.page-overlap", "2"));
        String cursor = firstSync();
        fixture.sim.mutate(60, 0);
        Set<String> wanted = updatedSince(Instant.parse(cursorDate(cursor)).minusSeconds(600).truncatedTo(ChronoUnit.SECONDS));
        List<Long> firstPage = wantedHead(wanted, 4);
        // Before the third page four users of the first page change again: lastUpdated (oldest first in the
        // simulator) moves them to its end and everyone behind them four places forward, past the overlap.
        fixture.sim.beforePage(page -> {
            if (page == 3) {
                firstPage.forEach(fixture.sim::change);
            }
        });

        InstabotFixture.Run run = InstabotFixture.run(reader, cursor, false);

        assertTrue(wanted.size() > 40, "enough users for several pages: " + wanted.size());
        assertTrue(run.users().keySet().containsAll(wanted),
                "missing: " + wanted.stream().filter(id -> !run.users().containsKey(id)).toList());
        firstPage.forEach(id -> assertEquals(fixture.sim.user(id).get("email"), run.users().get(id + "").get("email"),
                "the last version of " + id + " was read"));
    }

    /** The first n wanted users in lastUpdated order (updateDate, then objectId): the head of the first page. */
    private List<Long> wantedHead(Set<String> wanted, int n) {
        return wanted.stream().map(Long::parseLong)
                .sorted((a, b) -> {
                    int byDate = Timestamps.parse(fixture.sim.user(a).get("updateDate").asText())
                            .compareTo(Timestamps.parse(fixture.sim.user(b).get("updateDate").asText()));
                    return byDate != 0 ? byDate : Long.compare(a, b);
                })
                .limit(n).toList();
    }

    @Test
    void anOrderThatMovesChangedUsersBackIntoThePagesReadIsCaughtByTheCount() {
        // one page at a time: the change must come after pages 1 and 2 were read and before page 3 (fetched ahead, the
        // last page may be read before the change, and the user is read at its old version, which is no loss either)
        SourceReader reader = fixture.reader(Map.of("botsync.instabot.page-size", "10", "botsync.instabot.page-overlap", "2",
                "botsync.instabot.concurrency", "1"));
        String cursor = firstSync();
        fixture.sim.mutate(40, 0);
        fixture.sim.newestFirst(true);
        Set<String> wanted = updatedSince(Instant.parse(cursorDate(cursor)).minusSeconds(600).truncatedTo(ChronoUnit.SECONDS));
        // Newest first, the oldest changed user is on the last page; before page 3 it changes again and jumps
        // to the first page, already read. No page boundary shows it: only the distinct count falls short.
        Long oldest = wantedHead(wanted, 1).get(0);
        fixture.sim.beforePage(page -> {
            if (page == 3) {
                fixture.sim.change(oldest);
            }
        });

        InstabotFixture.Run run = InstabotFixture.run(reader, cursor, false);

        assertTrue(run.users().keySet().containsAll(wanted),
                "missing: " + wanted.stream().filter(id -> !run.users().containsKey(id)).toList());
        assertEquals(fixture.sim.user(oldest).get("email"), run.users().get(oldest + "").get("email"));
    }

    @Test
    void aFullScanReturnsOnlyTheUsersThatStillExist() {
        SourceReader reader = fixture.reader(Map.of());
        String cursor = firstSync();
        List<Long> ids = fixture.sim.liveIds();
        fixture.sim.delete(ids.get(3));
        fixture.sim.delete(ids.get(150));

        InstabotFixture.Run incremental = InstabotFixture.run(reader, cursor, false);
        InstabotFixture.Run full = InstabotFixture.run(reader, cursor, true);

        assertFalse(incremental.fullScan(), "an incremental pass must not mark anyone deleted");
        assertTrue(full.fullScan());
        assertEquals(228, full.users().size());
        assertFalse(full.users().containsKey(ids.get(3) + ""));
        assertFalse(full.users().containsKey(ids.get(150) + ""));
        assertEquals(new TreeSet<>(fixture.liveIds()), new TreeSet<>(full.users().keySet()));
        full.pages().subList(0, full.pages().size() - 1).forEach(page -> assertEquals(cursor, page.cursor()));
    }

    @Test
    void wrongKeysFailTheSourceNamingTheKeysAndNeverShowingThem() {
        SourceReader reader = fixture.reader(Map.of("botsync.instabot.api-key", "wrong-key-123456"));
        Pass pass = reader.open("{\"lastUpdateDate\":\"2024-03-01T10:00:00Z\"}", false);

        SourceException error = assertThrows(SourceException.class, pass::next);

        assertTrue(error.getMessage().startsWith("instabot: "), error.getMessage());
        assertTrue(error.getMessage().contains("HTTP 401"), error.getMessage());
        assertTrue(error.getMessage().contains("botsync.instabot.api-key and botsync.instabot.master-api-key"), error.getMessage());
        assertFalse(error.getMessage().contains("wrong-key-123456"), error.getMessage());
        assertFalse(error.getMessage().contains(fixture.sim.sourceProperties("instabot").get("botsync.instabot.master-api-key")));
    }

    @Test
    void anApiStatusCodeOtherThanSuccessFailsTheSource() {
        fixture.sim.fail(200, "InvalidApiKey");
        SourceException error = assertThrows(SourceException.class, () -> fixture.reader(Map.of()).open(null, false).next());
        assertTrue(error.getMessage().contains("apiStatusCode 'InvalidApiKey'"), error.getMessage());
        assertTrue(error.getMessage().contains("botsync.instabot.api-key"), error.getMessage());

        fixture.sim.fail(503, "ServiceUnavailable");
        error = assertThrows(SourceException.class, () -> fixture.reader(Map.of()).open(null, false).next());
        assertTrue(error.getMessage().startsWith("instabot: Instabot answered HTTP 503 to GET /v1/users?type=all"), error.getMessage());
    }

    @Test
    void usersThatNeverStopChangingFailTheSourceInsteadOfEndingAnIncompleteRead() {
        SourceReader reader = fixture.reader(Map.of("botsync.instabot.page-size", "10", "botsync.instabot.page-overlap", "2",
                "botsync.instabot.max-rereads", "2"));
        fixture.sim.beforePage(page -> {
            if (page % 2 == 0) {
                List<Long> ids = fixture.sim.liveIds();
                for (int i = 0; i < 3; i++) {
                    fixture.sim.delete(ids.get(i));
                }
            }
        });
        Pass pass = reader.open(null, true);
        SourceException error = assertThrows(SourceException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                assertFalse(pass.next().last(), "a read that kept losing users must not complete");
            }
        });
        assertTrue(error.getMessage().contains("2 re-reads did not give a complete read"), error.getMessage());
        assertTrue(error.getMessage().contains("botsync.instabot.page-overlap"), error.getMessage());
    }

    @Test
    void badSettingsNameTheirKey() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> fixture.reader(Map.of("botsync.instabot.page-size", "10", "botsync.instabot.page-overlap", "10")));
        assertTrue(error.getMessage().contains("botsync.instabot.page-overlap"), error.getMessage());
        IllegalStateException cursor = assertThrows(IllegalStateException.class, () -> fixture.reader(Map.of()).open("{\"x\":1}", false));
        assertTrue(cursor.getMessage().contains("--full"), cursor.getMessage());
    }
}
