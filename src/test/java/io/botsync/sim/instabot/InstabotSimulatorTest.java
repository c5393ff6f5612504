package io.botsync.sim.instabot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.sim.PlatformSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator answers as Instabot's reference says: checked over real HTTP on loopback. */
class InstabotSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private InstabotSimulator sim = new InstabotSimulator(250, 3);

    @AfterEach
    void close() {
        sim.close();
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply call(String method, String pathAndQuery, String json, String apiKey, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) {
            request.header("X-Instabot-Api-Key", apiKey);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    private Reply call(String method, String pathAndQuery, String json) throws Exception {
        return call(method, pathAndQuery, json, InstabotSimulator.API_KEY, "X-Instabot-Master-Api-Key " + InstabotSimulator.MASTER_API_KEY);
    }

    private Reply get(String pathAndQuery) throws Exception {
        return call("GET", pathAndQuery, null);
    }

    @Test
    void bothKeysAreNeededOnEveryRequest() throws Exception {
        String master = "X-Instabot-Master-Api-Key " + InstabotSimulator.MASTER_API_KEY;
        for (Reply reply : List.of(
                call("GET", "/v1/users?type=all", null, null, master),
                call("GET", "/v1/users?type=all", null, InstabotSimulator.API_KEY, null),
                call("GET", "/v1/users/lastUpdated?since=2020-01-01T00:00:00", null, InstabotSimulator.API_KEY,
                        "X-Instabot-Master-Api-Key " + InstabotSimulator.API_KEY),
                call("DELETE", "/v1/users/" + sim.liveIds().get(0), null, "nope", master))) {
            assertEquals(401, reply.status());
            assertNotEquals("Success", reply.body().get("apiStatusCode").asText());
        }
        assertEquals(250, sim.userCount(), "the refused DELETE deleted nobody");
        assertEquals(200, get("/v1/users?type=all").status());
    }

    @Test
    void theListPagesWithLimitCappedAtAHundredAndCountsItsUsers() throws Exception {
        Reply first = get("/v1/users?type=all&limit=500&skip=0");
        assertEquals(100, first.body().get("data").size());
        assertEquals(250, first.body().get("totalCount").asInt());
        assertTrue(first.body().get("hasMoreRecords").asBoolean());
        assertEquals("Success", first.body().get("apiStatusCode").asText());
        assertEquals(20, get("/v1/users?type=all").body().get("data").size(), "limit defaults to 20");

        Reply last = get("/v1/users?type=all&limit=100&skip=200");
        assertEquals(50, last.body().get("data").size());
        assertFalse(last.body().get("hasMoreRecords").asBoolean());

        Set<String> ids = new HashSet<>();
        for (int skip = 0; skip < 250; skip += 100) {
            get("/v1/users?type=all&limit=100&skip=" + skip).body().get("data").forEach(user -> ids.add(user.get("objectId").asText()));
        }
        assertEquals(250, ids.size());

        Reply registered = get("/v1/users?limit=100");
        assertTrue(registered.body().get("totalCount").asInt() < 250, "without type=all anonymous users are left out");
        registered.body().get("data").forEach(user -> assertNotEquals("anonymous", user.get("userType").asText()));
        assertEquals(400, get("/v1/users?type=all&limit=0").status());
    }

    @Test
    void lastUpdatedTakesSinceInclusivelyAtTheSecond() throws Exception {
        long id = sim.liveIds().get(7);
        sim.clock(Clock.fixed(Instant.parse("2024-02-02T08:30:15.9876543Z"), ZoneOffset.UTC));
        sim.change(id);

        Reply same = get("/v1/users/lastUpdated?since=2024-02-02T08%3A30%3A15&type=all");
        assertEquals(1, same.body().get("totalCount").asInt());
        assertEquals(id, same.body().get("data").get(0).get("objectId").asLong());
        assertEquals("2024-02-02T08:30:15.9876543Z", same.body().get("data").get(0).get("updateDate").asText());
        assertEquals(0, get("/v1/users/lastUpdated?since=2024-02-02T08%3A30%3A16&type=all").body().get("totalCount").asInt());
        assertEquals(400, get("/v1/users/lastUpdated?type=all").status());
        assertEquals(400, get("/v1/users/lastUpdated?since=yesterday").status());
    }

    @Test
    void usersAreWrittenDeletedAndRestoredThroughTheApi() throws Exception {
        sim.clock(Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC));
        assertEquals(400, call("POST", "/v1/users", "{\"userName\":\"nopass\"}").status(), "userPassword is required");
        Reply created = call("POST", "/v1/users",
                "{\"email\":\"New@Example.com\",\"phone\":\"\",\"userName\":\"user1\",\"userPassword\":\"s3cret\",\"name\":\"User First\",\"description\":\"First user\"}");
        assertEquals(201, created.status());
        long id = created.body().get("data").get("objectId").asLong();
        assertEquals(400, call("POST", "/v1/users", "{\"userName\":\"USER1\",\"userPassword\":\"x\"}").status(), "userName is unique");

        JsonNode user = get("/v1/users/" + id).body().get("data");
        assertEquals("user1", user.get("username").asText());
        assertEquals("New@Example.com", user.get("email").asText());
        assertFalse(user.toString().contains("s3cret"), "the password is never returned");
        assertEquals(251, sim.userCount());

        sim.clock(Clock.fixed(Instant.parse("2024-06-01T00:00:05Z"), ZoneOffset.UTC));
        Reply updated = call("PUT", "/v1/users/" + id, "{\"email\":\"changed@example.com\",\"phone\":null}");
        assertEquals(200, updated.status());
        assertEquals("changed@example.com", updated.body().get("data").get("email").asText());
        assertEquals("User First", updated.body().get("data").get("name").asText(), "fields not sent are kept");
        assertEquals("2024-06-01T00:00:05Z", updated.body().get("data").get("updateDate").asText());

        assertEquals(200, call("DELETE", "/v1/users/" + id, null).status());
        assertEquals(404, get("/v1/users/" + id).status());
        assertFalse(sim.liveIds().contains(id));
        assertEquals(250, get("/v1/users?type=all").body().get("totalCount").asInt());

        assertEquals(200, call("POST", "/v1/users/" + id, null).status());
        assertTrue(sim.liveIds().contains(id));
        assertEquals("changed@example.com", get("/v1/users/" + id).body().get("data").get("email").asText());
        assertEquals(404, call("PUT", "/v1/users/1", "{}").status());
    }

    @Test
    void theSameSeedGivesTheSameUsers() throws Exception {
        String page = get("/v1/users?type=all&limit=100&skip=100").body().toString();
        sim.close();
        sim = new InstabotSimulator(250, 3);
        assertEquals(page, get("/v1/users?type=all&limit=100&skip=100").body().toString());
        sim.close();
        sim = new InstabotSimulator(250, 4);
        assertNotEquals(page, get("/v1/users?type=all&limit=100&skip=100").body().toString());
    }

    @Test
    void mutateChangesAndAddsUsers() throws Exception {
        sim.clock(Clock.fixed(Instant.parse("2024-07-01T00:00:00Z"), ZoneOffset.UTC));
        sim.mutate(10, 5);
        assertEquals(255, sim.userCount());
        int changed = get("/v1/users/lastUpdated?since=2024-07-01T00%3A00%3A00&type=all&limit=100").body().get("totalCount").asInt();
        assertTrue(changed >= 13 && changed <= 15, "10 changes (a user may be picked twice) and 5 new users: " + changed);
    }

    @Test
    void plainSkipPagingLosesAUserWhenOneAlreadyReadIsDeleted() throws Exception {
        // The failure the reader must survive (Airbyte issue #21500), reproduced: a naive reader steps skip by
        // limit; a user on the first page is deleted before the second page; the user that was first on the
        // second page moves onto the first page, and no request returns it.
        List<Long> ids = sim.liveIds();
        sim.beforePage(page -> {
            if (page == 2) {
                sim.delete(ids.get(0));
            }
        });
        Set<Long> read = new HashSet<>();
        boolean more = true;
        for (int skip = 0; more; skip += 50) {
            JsonNode body = get("/v1/users?type=all&limit=50&skip=" + skip).body();
            body.get("data").forEach(user -> read.add(user.get("objectId").asLong()));
            more = body.get("hasMoreRecords").asBoolean();
        }
        assertFalse(read.contains(ids.get(50)), "the simulator moves users between pages as Instabot would");
        read.retainAll(sim.liveIds());
        assertEquals(249, sim.userCount());
        assertEquals(248, read.size(), "one live user was never read");
    }

    @Test
    void itIsFoundByServiceLoaderAndHoldsAMillionUsers() throws Exception {
        PlatformSimulator.Factory factory = ServiceLoader.load(PlatformSimulator.Factory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.platform().equals("instabot")).findFirst().orElseThrow();
        sim.close();
        sim = (InstabotSimulator) factory.start(1_000_000, 1);
        assertEquals(1_000_000, sim.userCount());
        Reply tail = get("/v1/users?type=all&limit=100&skip=999950");
        assertEquals(50, tail.body().get("data").size());
        assertFalse(tail.body().get("hasMoreRecords").asBoolean());
        sim.mutate(3, 2);
        Reply changed = get("/v1/users/lastUpdated?since=2024-01-01T00%3A00%3A00&type=all&limit=100");
        assertTrue(changed.body().get("totalCount").asInt() >= 4, changed.body().get("totalCount").toString());
        assertEquals(3, sim.sourceProperties("crm").size());
        assertTrue(sim.sourceProperties("crm").containsKey("botsync.crm.master-api-key"));
    }
}
