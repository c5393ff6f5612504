package io.botsync.source.instabot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.botsync.sim.SimFaults;
import io.botsync.source.Concurrency;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Instabot's skip paging with pages fetched ahead ({@code botsync.instabot.concurrency}): how many requests the platform
 * sees at once, the order the pages come out in, users changing while pages are in flight, a 429, and the request budget.
 */
class ConcurrentPagingTest {

    private static final Pattern SKIP = Pattern.compile("[?&]skip=(\\d+)");

    private final InstabotFixture fixture = new InstabotFixture(1_000, 21);

    @AfterEach
    void close() {
        fixture.close();
    }

    private SimFaults faults() {
        return fixture.sim.faults();
    }

    /** Every request waits a little, as a real platform's do, so that requests fetched ahead are seen at once. */
    private void latency(long millis) {
        faults().before(request -> Thread.sleep(millis));
    }

    @Test
    void upToTheConcurrencysPagesAreInFlightAndTheyComeOutInSkipOrder() {
        latency(20);
        InstabotFixture.Run run = InstabotFixture.run(fixture.reader(Map.of("botsync.instabot.page-size", "50")), null, true);

        assertEquals(4, faults().mostInFlight(), "the default concurrency, and never more");
        assertEquals(new HashSet<>(fixture.liveIds()), run.users().keySet());
        List<Integer> listSkips = skips(run.requests().stream().filter(r -> r.startsWith("GET /v1/users?")).toList());
        List<Integer> sorted = new ArrayList<>(listSkips);
        Collections.sort(sorted);
        assertEquals(sorted, listSkips, "pages handed out in skip order");
        assertEquals(1_000 / 45 + 1, listSkips.size(), "pages of 50 overlapping by 5, none twice");
        // a page is only fetched ahead below the totalCount the last page reported: at most the one page at the end that
        // turns out empty, and none ahead of a read's first page
        assertTrue(faults().requests() <= run.pages().size() + 3, faults().requests() + " requests for " + run.pages().size() + " pages");
    }

    @Test
    void aConcurrencyOfOneFetchesOnePageAtATime() {
        latency(20);
        InstabotFixture.Run run = InstabotFixture.run(fixture.reader(Map.of("botsync.instabot.page-size", "50",
                "botsync.instabot.concurrency", "1")), null, true);

        assertEquals(1, faults().mostInFlight());
        assertEquals(new HashSet<>(fixture.liveIds()), run.users().keySet());
        assertEquals(run.pages().size(), faults().requests(), "no page fetched ahead");
    }

    @Test
    void usersDeletedChangedAndAddedWhilePagesAreInFlightAreNeitherLostNorReadStale() {
        Random random = new Random(2026);
        List<Long> ids = fixture.sim.liveIds();
        Set<Long> deleted = ConcurrentHashMap.newKeySet();
        // the simulator answers up to 4 requests at once, so users change between requests fetched at the same time
        faults().before(request -> {
            Thread.sleep(5);
            if (request % 3 == 0) {
                synchronized (random) {
                    Long gone = ids.get(random.nextInt(ids.size()));
                    if (fixture.sim.delete(gone)) {
                        deleted.add(gone);
                    }
                    fixture.sim.change(ids.get(random.nextInt(ids.size())));
                    fixture.sim.mutate(0, 1);
                }
            }
        });

        InstabotFixture.Run run = InstabotFixture.run(fixture.reader(Map.of("botsync.instabot.page-size", "40",
                "botsync.instabot.max-rereads", "10")), null, true);

        Set<String> alwaysThere = new HashSet<>();
        ids.stream().filter(id -> !deleted.contains(id)).forEach(id -> alwaysThere.add(id.toString()));
        assertTrue(deleted.size() >= 10, "users were deleted mid-scan: " + deleted.size());
        assertTrue(run.users().keySet().containsAll(alwaysThere),
                "lost: " + alwaysThere.stream().filter(id -> !run.users().containsKey(id)).toList());
        // the catch-up read returns every user changed while the scan ran, so each is read at its last version
        for (String id : alwaysThere) {
            assertEquals(fixture.sim.user(Long.parseLong(id)).get("email"), run.users().get(id).get("email"), "user " + id);
        }
    }

    @Test
    void aTooManyRequestsAnswerLowersTheConcurrencyToOneForTheRestOfThePassAndSaysSoOnce() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Concurrency.class);
        logger.addAppender(log);
        Map<Integer, Integer> inFlightAt = new ConcurrentHashMap<>();
        faults().before(request -> {
            inFlightAt.put(request, faults().inFlight());
            if (request == 6 || request == 12) {
                faults().next(new SimFaults.Status(429, "0"));
            }
            Thread.sleep(20);
        });
        try {
            InstabotFixture.Run run = InstabotFixture.run(fixture.reader(Map.of("botsync.instabot.page-size", "20")), null, true);

            assertEquals(new HashSet<>(fixture.liveIds()), run.users().keySet(), "the 429'd requests were retried");
        } finally {
            logger.detachAppender(log);
        }
        assertTrue(inFlightAt.entrySet().stream().anyMatch(e -> e.getKey() < 6 && e.getValue() > 1), "fetched ahead before: " + inFlightAt);
        // The requests in flight when the 429 reached botsync still finish, and a page fetched ahead may go out before the
        // 429 is read; a few requests later it is one at a time, to the end of the pass (about 67 requests). The simulator
        // counts a request out only after its answer is sent, so the next one may now and then find it still counted.
        assertTrue(inFlightAt.size() > 60, "requests: " + inFlightAt.size());
        List<Integer> after = inFlightAt.entrySet().stream().filter(e -> e.getKey() > 25).map(Map.Entry::getValue).toList();
        assertTrue(after.stream().allMatch(inFlight -> inFlight <= 2)
                && after.stream().filter(inFlight -> inFlight == 2).count() <= after.size() / 10, "one at a time: " + inFlightAt);
        List<String> said = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(1, said.size(), "said once: " + said);
        assertTrue(said.get(0).contains("429 Too Many Requests") && said.get(0).contains("one page at a time")
                && said.get(0).contains("botsync.instabot.concurrency"), said.get(0));
    }

    @Test
    void theRequestBudgetCountsEveryRequestFetchedAhead() {
        fixture.camel.getPropertiesComponent().addOverrideProperty("botsync.instabot.requests-per-second", "5");
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        faults().before(request -> arrivals.add(System.nanoTime()));

        InstabotFixture.Run run = InstabotFixture.run(fixture.reader(Map.of("botsync.instabot.page-size", "50")), null, true);

        assertEquals(new HashSet<>(fixture.liveIds()), run.users().keySet());
        List<Long> sorted = new ArrayList<>(arrivals);
        Collections.sort(sorted);
        assertTrue(sorted.size() > 10, "enough requests to see the budget: " + sorted.size());
        // Camel's throttler lets 5 through a second: 11 requests take 2 s. Unthrottled, 4 at once, they take a tenth of
        // that; 1.5 s leaves room for the jitter of a loaded machine
        for (int i = 10; i < sorted.size(); i++) {
            assertTrue(sorted.get(i) - sorted.get(i - 10) >= 1_500_000_000L,
                    "11 requests within " + (sorted.get(i) - sorted.get(i - 10)) / 1_000_000 + " ms (requests " + (i - 10) + " to " + i + ")");
        }
    }

    private static List<Integer> skips(List<String> requests) {
        List<Integer> skips = new ArrayList<>();
        for (String request : requests) {
            Matcher skip = SKIP.matcher(request);
            assertTrue(skip.find(), request);
            skips.add(Integer.parseInt(skip.group(1)));
        }
        return skips;
    }
}
