package io.botsync.sim.mercury;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.SimServer;
import io.botsync.source.Platform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator over plain HTTP, as the reference describes the endpoint. */
class MercurySimulatorTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<MercurySimulator> started = new ArrayList<>();

    @AfterEach
    void close() {
        started.forEach(MercurySimulator::close);
    }

    private MercurySimulator start(int users, long seed) {
        MercurySimulator sim = new MercurySimulator(users, seed);
        started.add(sim);
        return sim;
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply get(MercurySimulator sim, String query, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                sim.baseUrl() + "/projects/" + sim.projectId() + "/users/properties" + (query.isEmpty() ? "" : "?" + query)));
        if (header != null) {
            request.header(header, value);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), SimServer.JSON.readTree(response.body()));
    }

    private Reply get(MercurySimulator sim, String query) throws Exception {
        return get(sim, query, "Authorization", "Bearer " + sim.apiKey());
    }

    private static List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.body().path("data").path("items").forEach(item -> ids.add(item.path("userId").asText()));
        return ids;
    }

    @Test
    void answersTheDocumentedEnvelopeWithFiftyUsersByDefault() throws Exception {
        MercurySimulator sim = start(120, 1);
        Reply reply = get(sim, "");

        assertEquals(200, reply.status());
        assertTrue(reply.body().path("success").booleanValue());
        JsonNode items = reply.body().path("data").path("items");
        assertEquals(50, items.size());
        JsonNode user = items.get(0);
        assertTrue(user.path("userId").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertTrue(user.path("lastInteractionTime").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{1,3}"));
        assertEquals(user.path("firstName").asText(), user.path("properties").path("user.firstName").asText());
        assertTrue(user.path("properties").path("user.locale").isTextual());
        assertEquals(SimServer.JSON.valueToTree(sim.renderAll().subList(0, 50)), items);
    }

    @Test
    void refusesMissingOrWrongCredentialsAndUnknownProjects() throws Exception {
        MercurySimulator sim = start(5, 1);
        assertEquals(401, get(sim, "", null, null).status());
        Reply wrong = get(sim, "", "Authorization", "Bearer nope");
        assertEquals(401, wrong.status());
        assertFalse(wrong.body().path("success").booleanValue());

        HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create(
                sim.baseUrl() + "/projects/nope/users/properties")).header("Authorization", "Bearer " + sim.apiKey()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());

        sim.requireAuth("X-Api-Key", null);
        assertEquals(401, get(sim, "").status());
        assertEquals(200, get(sim, "", "X-Api-Key", sim.apiKey()).status());
        assertEquals("none", sim.sourceProperties("m").get("botsync.m.auth-scheme"));
    }

    @Test
    void aPageStartsWithTheStartIdUserOrAfterIt() throws Exception {
        MercurySimulator sim = start(30, 3);
        List<String> all = ids(get(sim, "limit=30"));
        String third = all.get(2);

        assertEquals(all.subList(2, 7), ids(get(sim, "startId=" + third + "&limit=5")));
        sim.startIdInclusive(false);
        assertEquals(all.subList(3, 8), ids(get(sim, "startId=" + third + "&limit=5")));
        assertEquals(List.of(), ids(get(sim, "startId=" + all.get(29) + "&limit=5")));
        sim.ignoreStartId(true);
        assertEquals(all.subList(0, 5), ids(get(sim, "startId=" + third + "&limit=5")));
    }

    @Test
    void unreadableRequestsAreAnswered400() throws Exception {
        MercurySimulator sim = start(5, 1);
        assertEquals(400, get(sim, "limit=0").status());
        assertEquals(400, get(sim, "startId=not-a-user").status());
        assertEquals(400, get(sim, "stageIds=no-such-stage").status());
        assertEquals(400, get(sim, "filters=%5B%7B%22operator%22%3A%22%3E%22%7D%5D").status());
        assertEquals(400, get(sim, "sortBy=user.lastName").status());
    }

    @Test
    void theSameSeedGivesTheSameUsers() {
        assertEquals(start(200, 9).renderAll(), start(200, 9).renderAll());
        assertNotEquals(start(200, 9).renderAll(), start(200, 10).renderAll());
    }

    @Test
    void mutateChangesSomeUsersAndAddsOthersAtTheClocksTime() {
        MercurySimulator sim = start(100, 5);
        Instant now = Instant.parse("2026-02-03T04:05:06Z");
        sim.clock(Clock.fixed(now, ZoneOffset.UTC));
        List<ObjectNode> before = sim.renderAll();

        sim.mutate(7, 4);

        List<ObjectNode> after = sim.renderAll();
        assertEquals(104, sim.userCount());
        List<ObjectNode> touched = after.stream().filter(user -> !before.contains(user)).toList();
        assertEquals(11, touched.size());
        touched.forEach(user -> assertEquals("2026-02-03 04:05:06.0", user.path("lastInteractionTime").asText()));
        long changed = touched.stream().filter(user -> before.stream()
                .anyMatch(old -> old.path("userId").equals(user.path("userId")))).count();
        assertEquals(7, changed);
    }

    @Test
    void holdsAMillionUsersAndPagesFromTheMiddle() throws Exception {
        MercurySimulator sim = start(1_000_000, 11);
        assertEquals(1_000_000, sim.userCount());
        List<String> page = ids(get(sim, "limit=1000"));
        String from = page.get(999);
        List<String> next = ids(get(sim, "startId=" + from + "&limit=3"));
        assertEquals(from, next.get(0));
        assertEquals(3, next.size());
    }

    @Test
    void theSimulatorAndThePlatformAreFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(PlatformSimulator.Factory.class).stream()
                .anyMatch(factory -> factory.get().platform().equals("mercury")));
        assertTrue(ServiceLoader.load(Platform.class).stream()
                .anyMatch(platform -> platform.get().name().equals("mercury")));
        PlatformSimulator sim = new MercurySimulatorFactory().start(3, 1);
        try (sim) {
            assertEquals(3, sim.userCount());
            assertTrue(sim.sourceProperties("mercury").get("botsync.mercury.base-url").startsWith("http://127.0.0.1:"));
        }
    }
}
