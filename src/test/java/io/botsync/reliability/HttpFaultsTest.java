package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.SimFaults;
import io.botsync.sim.SimFaults.Chunked;
import io.botsync.sim.SimFaults.Delay;
import io.botsync.sim.SimFaults.Drop;
import io.botsync.sim.SimFaults.Status;
import io.botsync.sim.SimFaults.Truncate;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sync.RunResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults between botsync and a platform, injected by the simulators (5xx, 429 with Retry-After, timeouts, dropped
 * connections, bodies cut short, refusals), through the whole application into a real warehouse: what survives,
 * what fails, and what the failure says.
 */
class HttpFaultsTest {

    private static final int USERS = 200;
    private static final int PAGE = 20;

    private final MercurySimulator mercury = new MercurySimulator(USERS, 3);
    private final InstabotSimulator instabot = new InstabotSimulator(60, 4);
    private Application app;
    private String url;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
        mercury.close();
        instabot.close();
    }

    private Application botsync(String... overrides) {
        url = TestDatabases.fresh("h2");
        Map<String, String> properties = Warehouses.pointedAt(url, List.of(mercury, instabot));
        properties.put("botsync.mercury.page-size", String.valueOf(PAGE));
        properties.put("botsync.http.retry-delay", "20ms");
        properties.put("camel.component.http.response-timeout", "1000");
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put(overrides[i], overrides[i + 1]);
        }
        app = Application.start(properties);
        return app;
    }

    private SimFaults faults() {
        return mercury.faults();
    }

    @Test
    void serverErrorsDroppedConnectionsTimeoutsAndCutBodiesAreRetriedAndTheSyncEndsComplete() throws SQLException {
        botsync("botsync.http.max-attempts", "7");
        faults().next(new Status(503, null), new Status(500, null), new Drop(), new Delay(Duration.ofMillis(2500)),
                new Truncate(), new Status(502, null));
        RunResult result = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
        assertEquals(0, faults().pending(), "every fault was served");
        assertEquals(USERS, count("SELECT COUNT(DISTINCT external_id) FROM crm_user"));
        assertEquals(USERS, count("SELECT COUNT(*) FROM crm_user"), "no page was written twice");
    }

    @Test
    void pagesSentChunkedOrLargerThanTheStreamingThresholdAreReadAsThoseWithALengthAre() throws SQLException {
        botsync();
        RunResult byLength = app.sync().sync("mercury", false);
        List<List<Object>> expected = hashes();
        app.close();

        // a threshold below a page's size sends the pages that have a length through Camel's stream cache as well
        botsync("camel.component.http.response-payload-streaming-threshold", "64");
        faults().before(request -> {
            if (request % 2 == 0) {
                faults().next(new Chunked());
            }
        });
        RunResult streamed = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.SUCCEEDED, streamed.status(), streamed.summary());
        assertEquals(byLength.counts().fetched(), streamed.counts().fetched(), streamed.summary());
        assertEquals(0, streamed.counts().rejected(), streamed.summary());
        assertEquals(USERS, expected.size());
        assertEquals(expected, hashes(), "every user read whole, with the same content");
    }

    @Test
    void tooManyRequestsWaitsWhatRetryAfterSaysInSecondsOrAsAnHttpDate() throws SQLException {
        // a 60 s backoff: the run ends within 30 s only because Retry-After (1 s) was honoured instead
        botsync("botsync.http.max-attempts", "3", "botsync.http.retry-delay", "60s");
        faults().next(new Status(429, "1"));
        List<Long> times = new ArrayList<>();
        faults().before(request -> {
            times.add(System.nanoTime());
            if (request == 2) { // whole seconds: at least 2 s from now
                faults().next(new Status(429, DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(3))));
            }
        });
        RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> app.sync().sync("mercury", false));
        assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
        assertEquals(USERS, count("SELECT COUNT(*) FROM crm_user"));
        assertTrue(times.get(1) - times.get(0) >= 900_000_000L, "waited at least the second Retry-After asked for");
        assertTrue(times.get(2) - times.get(1) >= 1_900_000_000L, "waited until the date Retry-After named");
    }

    @Test
    void aRetryAfterLongerThanTheLongestWaitFailsTheSourceAtOnceSayingSo() {
        botsync("botsync.http.max-retry-delay", "5s");
        faults().next(new Status(429, "3600"));
        RunResult result = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.FAILED, result.status());
        assertTrue(result.error().contains("HTTP 429") && result.error().contains("3600s")
                && result.error().contains("botsync.http.max-retry-delay"), result.error());
        assertEquals(1, faults().requests(), "no retry was made");
    }

    @Test
    void aPlatformThatKeepsFailingFailsTheSourceAfterTheConfiguredAttemptsAndKeepsEarlierPages() throws SQLException {
        botsync("botsync.http.max-attempts", "3");
        faults().before(request -> {
            if (request > 3) {
                throw new IllegalStateException("down"); // the simulator answers 500 from the fourth request on
            }
        });
        RunResult result = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.FAILED, result.status());
        assertTrue(result.error().contains("HTTP 500") && result.error().contains("after 3 attempts"), result.error());
        assertEquals(3 + 3, faults().requests(), "three pages, then the fourth three times");
        assertEquals(3 * PAGE - 2, count("SELECT COUNT(*) FROM crm_user"), "the three good pages stay committed");
    }

    @Test
    void aBodyThatIsNeverJsonIsRetriedThenFailsTheSourceWithNothingOfThatPageCommitted() throws SQLException {
        botsync("botsync.http.max-attempts", "3");
        faults().before(request -> {
            if (request >= 2) {
                faults().next(new Truncate());
            }
        });
        RunResult result = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.FAILED, result.status());
        assertTrue(result.error().contains("not JSON") && result.error().contains("after 3 attempts"), result.error());
        assertEquals(PAGE, count("SELECT COUNT(*) FROM crm_user"), "only the first page landed");
        assertEquals(1 + 3, faults().requests());
    }

    @Test
    void refusedCredentialsFailThatSourceAtOnceNamingItsKeyAndTheOtherSourcesGoOn() throws SQLException {
        botsync();
        faults().next(new Status(401, null));
        List<RunResult> results = app.sync().syncAll(List.of("mercury", "instabot"), false);
        assertEquals(RunResult.Status.FAILED, results.get(0).status());
        assertTrue(results.get(0).error().startsWith("mercury: ") && results.get(0).error().contains("botsync.mercury.api-key"),
                results.get(0).error());
        assertFalse(results.get(0).error().contains(mercury.apiKey()));
        assertEquals(1, faults().requests(), "a refusal is not retried");
        assertEquals(RunResult.Status.SUCCEEDED, results.get(1).status(), results.get(1).summary());
        assertEquals(60, count("SELECT COUNT(*) FROM crm_user WHERE source = 'instabot'"));
    }

    @Test
    void notFoundIsNotRetriedAndNamesTheKeysToCheck() {
        botsync();
        faults().next(new Status(404, null));
        RunResult result = app.sync().sync("mercury", false);
        assertTrue(result.error().contains("botsync.mercury.base-url"), result.error());
        assertEquals(1, faults().requests());
    }

    @Test
    void aRequestBudgetSpacesTheRequestsToOneSource() {
        botsync("botsync.mercury.requests-per-second", "4");
        List<Long> times = new ArrayList<>();
        faults().before(request -> times.add(System.nanoTime()));
        assertEquals(RunResult.Status.SUCCEEDED, app.sync().sync("mercury", false).status());
        assertTrue(times.size() >= 9, "requests: " + times.size());
        for (int i = 4; i < times.size(); i++) {
            // a lower bound only: no more than 4 requests start within any second
            assertTrue(times.get(i) - times.get(i - 4) >= 900_000_000L, "requests " + (i - 4) + ".." + i + " fell within a second");
        }
    }

    @Test
    void aBudgetThatIsNotANumberStopsTheStartNamingTheKey() {
        io.botsync.sync.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(io.botsync.sync.ConfigException.class,
                () -> botsync("botsync.mercury.requests-per-second", "fast"));
        assertTrue(e.getMessage().contains("botsync.mercury.requests-per-second is 'fast': set it to a whole number"),
                e.getMessage());
    }

    private List<List<Object>> hashes() throws SQLException {
        return TestDatabases.rows(url, "SELECT external_id, content_hash FROM crm_user ORDER BY external_id");
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = app.warehouse().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
