package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.BotsyncProcess;
import io.botsync.TestDatabases;
import io.botsync.cli.CommandLineRunner;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.SimFaults;
import io.botsync.sim.SimFaults.Huge;
import io.botsync.sim.SimFaults.Trickle;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sim.stepchat.StepChatSimulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Platforms that misbehave on purpose, through the whole command line into a real warehouse: an answer of 200 MB, a
 * body that trickles a byte a second, a page sent again and again with more to follow, a totalCount that lies, a user
 * sent twice, a Mercury startId loop, a pass that never ends. Each run fails or finishes in bounded time and memory,
 * says which source and what was wrong, and commits nothing of the bad page: its rows are not in the warehouse and the
 * cursor is where the last good page left it.
 */
class HostilePlatformsTest {

    /** Marks the users of a page a platform sent again: had that page been committed, their names would show it. */
    private static final String LOOPED = "Looped";

    private final List<PlatformSimulator> sims = new ArrayList<>();
    /** H2; the tests of a looping platform, whose pages must not be committed, set it to each database in turn. */
    private String url = TestDatabases.freshH2();

    @AfterEach
    void close() {
        sims.forEach(PlatformSimulator::close);
    }

    private <T extends PlatformSimulator> T sim(T sim) {
        sims.add(sim);
        return sim;
    }

    /** {@code botsync ARGS} in this JVM, pointed at the simulators and the warehouse, with these settings besides. */
    private CommandLineRunner.Result botsync(Map<String, String> settings, String... args) {
        Map<String, String> properties = Warehouses.pointedAt(url, sims);
        properties.put("botsync.http.retry-delay", "10ms");
        properties.putAll(settings);
        properties.forEach(System::setProperty);
        try {
            return CommandLineRunner.run(args);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    private CommandLineRunner.Result botsync(String... args) {
        return botsync(Map.of(), args);
    }

    @Test
    void anAnswerOf200MegabytesFailsItsSourceInA256MegabyteHeapWithNothingOfItKept() throws Exception {
        MercurySimulator mercury = sim(new MercurySimulator(120, 71));
        InstabotSimulator instabot = sim(new InstabotSimulator(150, 72));
        long size = 200L * 1024 * 1024;
        // the second page of each: Mercury's announced by its Content-Length, Instabot's chunked (no length to go by)
        hugeSecondAnswer(mercury.faults(), new Huge(size, false));
        hugeSecondAnswer(instabot.faults(), new Huge(size, true));

        BotsyncProcess sync = BotsyncProcess.start(Warehouses.pointedAt(url, sims), "sync", "mercury", "instabot");
        int exitCode = sync.exitCode();
        String output = sync.output();

        assertEquals(1, exitCode, output);
        assertFalse(output.contains("OutOfMemoryError"), output);
        assertTrue(output.contains("mercury: failed") && output.contains("larger than botsync.http.max-page-bytes (67108864 bytes;"
                + " it announced " + size + ")"), output);
        assertTrue(output.contains("instabot: failed") && output.contains("larger than botsync.http.max-page-bytes (67108864 bytes)"),
                output);
        assertEquals(50, count("SELECT COUNT(*) FROM crm_user WHERE source = 'mercury'"), "Mercury's first page only");
        assertEquals(cursorAfter(mercury, 49), cursor("mercury"), "the cursor of Mercury's first page");
        assertEquals(100, count("SELECT COUNT(*) FROM crm_user WHERE source = 'instabot'"), "Instabot's first page only");
    }

    private static void hugeSecondAnswer(SimFaults faults, Huge huge) {
        faults.before(request -> {
            if (request == 2) {
                faults.next(huge);
            }
        });
    }

    @Test
    void aBodyThatTricklesAByteASecondIsCutOffAtTheDeadlineAndEachRetryToo() throws SQLException {
        MercurySimulator mercury = sim(new MercurySimulator(100, 73));
        SimFaults faults = mercury.faults();
        faults.before(request -> {
            if (request >= 2) {
                faults.next(new Trickle(Duration.ofSeconds(1)));
            }
        });
        long started = System.nanoTime();
        // without the deadline, each answer of about 8 KB would take two hours to arrive
        CommandLineRunner.Result run = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> botsync(Map.of(
                "botsync.mercury.page-size", "20", "botsync.http.request-deadline", "3s", "botsync.http.max-attempts", "2"),
                "sync", "mercury"));

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("mercury: failed") && run.out().contains("did not arrive whole within 3s"
                + " (botsync.http.request-deadline)") && run.out().contains("after 2 attempts"), run.out());
        assertEquals(3, faults.requests(), "the first page, then the second and its one retry");
        assertTrue(System.nanoTime() - started >= 6_000_000_000L, "each attempt had its 3 s");
        assertEquals(20, count("SELECT COUNT(*) FROM crm_user"), "the first page only");
        assertEquals(cursorAfter(mercury, 19), cursor("mercury"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anInstabotPageSentAgainWithMoreToFollowFailsTheReadWithoutKeepingIt(String kind) throws SQLException {
        url = TestDatabases.fresh(kind);
        InstabotSimulator instabot = sim(new InstabotSimulator(150, 74));
        assertEquals(0, botsync("sync", "instabot").exitCode());
        String cursor = cursor("instabot");

        // from now on every list page after the first is the first again, renamed, and says more records follow
        AtomicReference<JsonNode> first = new AtomicReference<>();
        instabot.faults().answers((request, answer) -> {
            if (!request.path().equals("/v1/users")) {
                return answer;
            }
            if (request.parameters().get("skip").equals("0")) {
                first.set(answer.deepCopy());
                return answer;
            }
            JsonNode again = first.get().deepCopy();
            again.get("data").forEach(user -> ((ObjectNode) user).put("name", LOOPED));
            return again;
        });
        int before = instabot.requests().size();
        CommandLineRunner.Result run = botsync("sync", "instabot", "--full");

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("instabot: failed") && run.out().contains("skip=95 with hasMoreRecords true and only users"
                + " this read had returned already"), run.out());
        assertEquals(2, instabot.requests().size() - before, "the first page and its copy, nothing more");
        assertEquals(0, count("SELECT COUNT(*) FROM crm_user WHERE display_name = '" + LOOPED + "'"), "the copy was not kept");
        assertEquals(0, count("SELECT COUNT(*) FROM crm_user WHERE deleted"));
        assertEquals(cursor, cursor("instabot"));
    }

    @Test
    void aTotalCountThatLiesNeitherEndsAFullScanEarlyNorKeepsItGoing() throws SQLException {
        InstabotSimulator instabot = sim(new InstabotSimulator(150, 75));
        assertEquals(0, botsync("sync", "instabot").exitCode());
        String cursor = cursor("instabot");

        // too low: the scan still reads to the end hasMoreRecords gives, and flags nobody
        instabot.faults().answers((request, answer) -> lyingTotal(answer, answer.path("totalCount").asInt() / 2));
        CommandLineRunner.Result low = botsync("sync", "instabot", "--full");
        assertEquals(0, low.exitCode(), low.out() + low.err());
        assertTrue(low.out().contains("instabot: succeeded (full)") && low.out().contains("deleted=0 "), low.out());
        assertEquals(150, count("SELECT COUNT(*) FROM crm_user WHERE NOT deleted"));

        // too high: no read can prove itself complete; after its re-reads the scan fails, flagging nobody
        instabot.faults().answers((request, answer) -> lyingTotal(answer, answer.path("totalCount").asInt() + 50));
        int before = instabot.requests().size();
        CommandLineRunner.Result high = botsync(Map.of("botsync.instabot.max-rereads", "1"), "sync", "instabot", "--full");
        assertEquals(1, high.exitCode(), high.out() + high.err());
        assertTrue(high.out().contains("instabot: failed") && high.out().contains("read 150 distinct users where Instabot's"
                + " totalCount says 200") && high.out().contains("totalCount is wrong"), high.out());
        // each read also fetched ahead the page at skip=190, below the total it was told
        assertEquals(6, instabot.requests().size() - before, "two pages and the one after them, read twice");
        assertEquals(0, count("SELECT COUNT(*) FROM crm_user WHERE deleted"));
        assertEquals(150, count("SELECT COUNT(*) FROM crm_user"));
        assertEquals(cursor, cursor("instabot"));
    }

    private static JsonNode lyingTotal(JsonNode answer, int totalCount) {
        if (answer.has("totalCount")) {
            ((ObjectNode) answer).put("totalCount", totalCount);
        }
        return answer;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aMercuryStartIdLoopFailsTheScanBeforeTheLoopingPageIsKept(String kind) throws SQLException {
        url = TestDatabases.fresh(kind);
        MercurySimulator mercury = sim(new MercurySimulator(100, 76));
        // the fourth page leads back to the first (renamed): page 1, 2, 3, 1, 2, 3, ... for ever
        AtomicInteger pages = new AtomicInteger();
        AtomicReference<JsonNode> first = new AtomicReference<>();
        mercury.faults().answers((request, answer) -> {
            int page = pages.incrementAndGet();
            if (page == 1) {
                first.set(answer.deepCopy());
            }
            if (page < 4) {
                return answer;
            }
            JsonNode again = first.get().deepCopy();
            again.path("data").path("items").forEach(user -> ((ObjectNode) user).put("firstName", LOOPED));
            return again;
        });
        CommandLineRunner.Result run = botsync(Map.of("botsync.mercury.page-size", "20"), "sync", "mercury");

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("mercury: failed") && run.out().contains("with users that lead back to startId="
                + mercury.renderAll().get(19).get("userId").asText() + ", which this scan has asked from already"), run.out());
        assertEquals(4, pages.get());
        assertEquals(58, count("SELECT COUNT(*) FROM crm_user"), "three pages of 20, 19 and 19 new users");
        assertEquals(0, count("SELECT COUNT(*) FROM crm_user WHERE first_name = '" + LOOPED + "'"), "the looping page was not kept");
        assertEquals(cursorAfter(mercury, 57), cursor("mercury"), "the cursor of the third page");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aStepChatFullScanPageSentAgainFailsTheScanWithoutKeepingIt(String kind) throws Exception {
        url = TestDatabases.fresh(kind);
        StepChatSimulator stepchat = sim(StepChatSimulator.start(250, 77));
        assertEquals(0, botsync("sync", "stepchat").exitCode());
        String cursor = cursor("stepchat");
        stepchat.faults().answers(pageOneAgain(stepchat, "creation_time", "ASC"));

        CommandLineRunner.Result run = botsync("sync", "stepchat", "--full");

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("stepchat: failed") && run.out().contains("pagination=2")
                && run.out().contains("with a full page of users this pass had returned already"), run.out());
        assertEquals(0, count("SELECT COUNT(*) FROM crm_user WHERE first_name = '" + LOOPED + "'"));
        assertEquals(0, count("SELECT COUNT(*) FROM crm_user WHERE deleted"));
        assertEquals(cursor, cursor("stepchat"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aStepChatActivityPageSentAgainFailsTheIncrementalRunWithoutKeepingIt(String kind) throws Exception {
        url = TestDatabases.fresh(kind);
        StepChatSimulator stepchat = sim(StepChatSimulator.start(250, 78));
        assertEquals(0, botsync("sync", "stepchat").exitCode());
        String cursor = cursor("stepchat");
        stepchat.faults().answers(pageOneAgain(stepchat, "last_activity", "DESC"));

        // a lookback of two years: every user is in the activity window, so the scan pages through them all
        CommandLineRunner.Result run = botsync(Map.of("botsync.stepchat.lookback", "17520h"), "sync", "stepchat");

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("stepchat: failed") && run.out().contains("pagination=2")
                && run.out().contains("with a full page of users this pass had returned already"), run.out());
        assertEquals(0, count("SELECT COUNT(*) FROM crm_user WHERE first_name = '" + LOOPED + "'"));
        assertEquals(cursor, cursor("stepchat"));
    }

    /**
     * StepChat's get-users pages in this order: the second and later are the first again, renamed. The first is asked
     * for here, before the run: pages are fetched ahead, so the run may ask for a later page before the first.
     */
    private static SimFaults.Rewrite pageOneAgain(StepChatSimulator stepchat, String column, String order) throws Exception {
        String sorting = "[\"" + column + "\",\"" + order + "\"]";
        String form = Map.of("token", stepchat.adminToken(), "function", "get-users", "sorting", sorting, "pagination", "1",
                        "extra", "true", "user_types", "[\"visitor\",\"lead\",\"user\"]").entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stepchat.url()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode first = new ObjectMapper().readTree(answer.body());
        assertEquals(100, first.path("response").size(), answer.body());
        return (request, page) -> {
            Map<String, String> call = request.parameters();
            if (!"get-users".equals(call.get("function")) || !sorting.equals(call.get("sorting"))
                    || call.get("pagination").equals("1")) {
                return page;
            }
            JsonNode again = first.deepCopy();
            again.get("response").forEach(user -> ((ObjectNode) user).put("first_name", LOOPED));
            return again;
        };
    }

    @Test
    void aUserSentTwiceInOneScanIsStoredOnce() throws SQLException {
        MercurySimulator mercury = sim(new MercurySimulator(100, 79));
        JsonNode firstUser = mercury.renderAll().get(0);
        AtomicInteger pages = new AtomicInteger();
        // the third page carries the scan's first user again, after the startId user the page begins with
        mercury.faults().answers((request, answer) -> {
            if (pages.incrementAndGet() == 3) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) answer.path("data").path("items")).insert(1, firstUser.deepCopy());
            }
            return answer;
        });
        CommandLineRunner.Result run = botsync(Map.of("botsync.mercury.page-size", "20"), "sync", "mercury");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("fetched=101 inserted=100 "), run.out());
        assertEquals(100, count("SELECT COUNT(*) FROM crm_user"));
        assertEquals(100, count("SELECT COUNT(DISTINCT external_id) FROM crm_user"));
    }

    @Test
    void aPassLongerThanMaxPagesFailsNamingTheSetting() throws SQLException {
        MercurySimulator mercury = sim(new MercurySimulator(100, 80));
        CommandLineRunner.Result run = botsync(Map.of("botsync.mercury.page-size", "20", "botsync.mercury.max-pages", "3"),
                "sync", "mercury");

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("mercury: failed") && run.out().contains("this pass has read 3 pages")
                && run.out().contains("botsync.mercury.max-pages"), run.out());
        assertEquals(3, mercury.pageRequests(), "the fourth page was not asked for");
        assertEquals(58, count("SELECT COUNT(*) FROM crm_user"));
        assertEquals(cursorAfter(mercury, 57), cursor("mercury"));
    }

    /** Mercury's cursor after a page whose last new user is the one at {@code index} (in id order). */
    private static String cursorAfter(MercurySimulator mercury, int index) {
        return "{\"startId\":\"" + mercury.renderAll().get(index).get("userId").asText() + "\"}";
    }

    private String cursor(String source) throws SQLException {
        List<List<Object>> rows = Warehouses.query(url, "SELECT cursor FROM sync_state WHERE source = '" + source + "'");
        return rows.isEmpty() ? null : (String) rows.get(0).get(0);
    }

    private long count(String sql) throws SQLException {
        return Warehouses.count(url, sql);
    }
}
