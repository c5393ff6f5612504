package io.botsync.source.mercury;

import static io.botsync.source.mercury.MercuryFixture.drain;
import static io.botsync.source.mercury.MercuryFixture.userIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.sim.mercury.MercurySimulator.Defect;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.SourceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MercuryReaderTest {

    private final MercuryFixture fixture = new MercuryFixture(103, 42);

    @AfterEach
    void close() {
        fixture.close();
    }

    private List<String> allIds() {
        return fixture.sim.renderAll().stream().map(user -> user.path("userId").asText()).toList();
    }

    @ParameterizedTest(name = "startId inclusive: {0}")
    @ValueSource(booleans = {true, false})
    void aFullScanReturnsEveryUserOnceAndClearsTheCursor(boolean inclusive) {
        fixture.sim.startIdInclusive(inclusive);
        Pass pass = fixture.reader("page-size", "10").open(null, false);
        List<Page> pages = drain(pass);

        assertEquals(allIds(), userIds(pages));
        assertTrue(pass.fullScan());
        assertFalse(pass.resumesScan());
        // exclusive: 11 pages hold the 103 users, and an empty 12th ends the scan; inclusive: each page after the
        // first repeats one user (skipped), so 12 pages hold them and a 13th holding only the startId user ends it
        int pagesWithUsers = inclusive ? 12 : 11;
        assertEquals(pagesWithUsers + 1, pages.size());
        assertEquals(pagesWithUsers + 1, fixture.sim.pageRequests());
        Page last = pages.get(pagesWithUsers);
        assertTrue(last.records().isEmpty());
        assertEquals("{}", last.cursor());
        assertEquals("limit=10", pages.get(0).request());
        for (int i = 0; i < pagesWithUsers; i++) {
            Page page = pages.get(i);
            String lastId = page.records().get(page.records().size() - 1).path("userId").asText();
            assertFalse(page.last());
            assertEquals("{\"startId\":\"" + lastId + "\"}", page.cursor());
            assertEquals("startId=" + lastId + "&limit=10", pages.get(i + 1).request());
        }
        for (Page page : pages) {
            assertFalse(page.request().contains(fixture.sim.apiKey()));
        }
    }

    @ParameterizedTest(name = "startId inclusive: {0}")
    @ValueSource(booleans = {true, false})
    void aCrashedScanResumesFromItsCursorAndMissesNoUser(boolean inclusive) {
        fixture.sim.startIdInclusive(inclusive);
        Pass crashed = fixture.reader("page-size", "10").open(null, false);
        List<Page> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            before.add(crashed.next());
        }
        String committed = before.get(3).cursor();

        Pass resumed = fixture.reader("page-size", "10").open(committed, false);
        List<Page> after = drain(resumed);

        assertTrue(resumed.fullScan());
        assertTrue(resumed.resumesScan());
        List<String> readBefore = userIds(before);
        assertTrue(after.get(0).request().startsWith("startId=" + readBefore.get(readBefore.size() - 1) + "&"));
        List<String> both = new ArrayList<>(userIds(before));
        both.addAll(userIds(after));
        assertEquals(allIds(), both);
        assertEquals("{}", after.get(after.size() - 1).cursor());
    }

    @Test
    void aCompletedScanStartsOverFromTheFirstUser() {
        Pass pass = fixture.reader().open("{}", false);
        Page first = pass.next();
        assertFalse(pass.resumesScan());
        assertEquals("limit=50", first.request());
        assertEquals(allIds().subList(0, 50), userIds(List.of(first)));
    }

    @Test
    void fullStartsOverEvenWhenAScanCouldBeResumed() {
        String cursor = "{\"startId\":\"" + allIds().get(60) + "\"}";
        Pass pass = fixture.reader().open(cursor, true);
        assertFalse(pass.resumesScan());
        assertEquals(allIds(), userIds(drain(pass)));
    }

    @Test
    void aCursorThisReaderDidNotWriteIsAnErrorNamingTheWayOut() {
        SourceException e = assertThrows(SourceException.class, () -> fixture.reader().open("{\"skip\": 200", false));
        assertTrue(e.getMessage().contains("sync mercury --full"), e.getMessage());
    }

    @Test
    void aServerThatKeepsReturningTheSamePageFailsInsteadOfLoopingOrCompleting() {
        fixture.sim.ignoreStartId(true);
        Pass pass = fixture.reader("page-size", "10").open(null, false);
        Page first = pass.next();
        assertEquals(10, first.records().size());

        SourceException e = assertThrows(SourceException.class, pass::next);
        assertTrue(e.getMessage().contains("does not page by startId"), e.getMessage());
        assertTrue(e.getMessage().contains("no user is marked deleted"), e.getMessage());
        assertEquals(2, fixture.sim.pageRequests());
    }

    @ParameterizedTest(name = "startId inclusive: {0}")
    @ValueSource(booleans = {true, false})
    void malformedRecordsArePassedOnOnceAndTheScanGoesOn(boolean inclusive) {
        fixture.sim.startIdInclusive(inclusive);
        fixture.sim.corrupt(4, Defect.NO_USER_ID);
        fixture.sim.corrupt(9, Defect.NO_USER_ID); // the last of page 1: paging goes on from the user before it
        fixture.sim.corrupt(20, Defect.TIME_AS_NUMBER);
        fixture.sim.corrupt(31, Defect.PROPERTIES_AS_TEXT);

        List<Page> pages = drain(fixture.reader("page-size", "10").open(null, false));

        List<ObjectNode> records = pages.stream().flatMap(page -> page.records().stream()).toList();
        assertEquals(103, records.size());
        assertEquals(2, records.stream().filter(record -> !record.has("userId")).count());
        assertTrue(records.get(20).path("lastInteractionTime").isNumber());
        assertTrue(records.get(31).path("properties").isTextual());
        List<String> expected = new ArrayList<>(allIds());
        expected.set(4, "");
        expected.set(9, "");
        assertEquals(expected, userIds(pages));
    }

    @Test
    void wrongCredentialsAreRefusedNamingTheKeyButNotTheSecret() {
        SourceException e = assertThrows(SourceException.class,
                () -> fixture.reader("api-key", "mk_not_the_key").open(null, false).next());
        assertTrue(e.getMessage().startsWith("mercury: Mercury refused the credentials (HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains("botsync.mercury.api-key"), e.getMessage());
        assertFalse(e.getMessage().contains("mk_not_the_key"), e.getMessage());
    }

    @Test
    void anUnknownProjectNamesTheProjectKey() {
        SourceException e = assertThrows(SourceException.class,
                () -> fixture.reader("project-id", "no-such-project").open(null, false).next());
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("botsync.mercury.project-id"), e.getMessage());
    }

    @Test
    void theAuthHeaderIsConfigurable() {
        fixture.sim.requireAuth("X-Api-Key", null);
        assertThrows(SourceException.class, () -> fixture.reader("auth-header", "", "auth-scheme", "").open(null, false).next());

        List<Page> pages = drain(fixture.reader("auth-header", "X-Api-Key", "auth-scheme", "none").open(null, false));
        assertEquals(allIds(), userIds(pages));
    }

    @ParameterizedTest(name = "startId inclusive: {0}")
    @ValueSource(booleans = {true, false})
    void filtersAndSortByArePassedThroughAndPagedToTheEnd(boolean inclusive) {
        fixture.sim.startIdInclusive(inclusive);
        List<Page> pages = drain(fixture.reader("page-size", "4",
                "filters", "[{\"mode\":\"exclude\",\"field\":\"user.company\",\"operator\":\"=\",\"value\":\"Globex\"}]",
                "sort-by", "+user.lastName,-user.firstName").open(null, false));

        Comparator<ObjectNode> byLastName = Comparator.comparing(user -> user.path("lastName").asText());
        List<String> expected = fixture.sim.renderAll().stream()
                .filter(user -> !user.path("properties").path("user.company").asText().equals("Globex"))
                .sorted(byLastName.thenComparing(Comparator.comparing((ObjectNode user) -> user.path("firstName").asText()).reversed())
                        .thenComparing(user -> user.path("userId").asText()))
                .map(user -> user.path("userId").asText())
                .toList();
        assertTrue(expected.size() > 50 && expected.size() < 103, "the filter selects some users: " + expected.size());
        assertEquals(expected, userIds(pages));
        assertTrue(pages.get(1).request().contains("sortBy=%2Buser.lastName%2C-user.firstName"), pages.get(1).request());
    }

    @Test
    void stageIdsSelectTheUsersOfTheirStages() {
        List<String> stages = fixture.sim.stageIds();
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (String stage : stages) {
            List<String> ids = userIds(drain(fixture.reader("stage-ids", stage).open(null, false)));
            assertFalse(ids.isEmpty());
            seen.addAll(ids);
            total += ids.size();
        }
        assertEquals(103, total);
        assertEquals(Set.copyOf(allIds()), seen);
        assertEquals(allIds(), userIds(drain(fixture.reader("stage-ids", String.join(",", stages)).open(null, false))));
    }

    @Test
    void filtersThatAreNotAJsonArrayStopTheReaderBeforeAnyRequest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fixture.reader("filters", "user.company=ACME"));
        assertTrue(e.getMessage().startsWith("botsync.mercury.filters must be a JSON array"), e.getMessage());
    }
}
