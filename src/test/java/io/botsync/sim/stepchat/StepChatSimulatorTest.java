package io.botsync.sim.stepchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.botsync.sim.PlatformSimulator;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator answers as the StepChat reference says, to any HTTP client. */
class StepChatSimulatorTest {

    private StepChatSimulator sim;

    @BeforeEach
    void start() {
        sim = StepChatSimulator.start(250, 11);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private JsonNode call(String function, Map<String, String> params) {
        return SimCalls.response(sim, function, params);
    }

    @Test
    void theAdminTokenIsEnforcedWithAnInvalidTokenEnvelope() {
        JsonNode wrong = SimCalls.post(sim, "token=nope&function=get-users");
        assertEquals("{\"success\":false,\"response\":\"invalid-token\"}", wrong.toString());
        assertEquals("invalid-token", SimCalls.post(sim, "function=count-users").get("response").asText());
        assertEquals("function-not-found", SimCalls.envelope(sim, "no-such-thing", Map.of()).get("response").asText());
    }

    @Test
    void getUsersPagesByHundredsInTheAskedOrderWithTypesAndDetails() {
        Map<String, String> params = new java.util.HashMap<>(Map.of(
                "sorting", "[\"last_activity\",\"DESC\"]", "user_types", "[\"lead\",\"user\"]", "extra", "true"));
        Set<String> ids = new HashSet<>();
        String previous = "9999";
        int total = 0;
        for (int page = 1; ; page++) {
            params.put("pagination", String.valueOf(page));
            JsonNode users = call("get-users", params);
            for (JsonNode user : users) {
                assertTrue(Set.of("lead", "user").contains(user.get("user_type").asText()));
                assertTrue(user.get("last_activity").asText().compareTo(previous) <= 0, "newest first");
                previous = user.get("last_activity").asText();
                assertTrue(user.get("token").asText().matches("[0-9a-f]{40}"), "the login token is in every user");
                assertTrue(user.has("password"));
                assertTrue(user.get("details").isArray());
                assertTrue(user.get("id").isTextual(), "ids are text");
                ids.add(user.get("id").asText());
            }
            total += users.size();
            if (users.size() < 100) {
                break;
            }
            assertEquals(100, users.size());
        }
        assertEquals(sim.ids("lead", "user").size(), total);
        assertEquals(total, ids.size());
        JsonNode unpaged = call("get-users", Map.of());
        assertEquals(250, unpaged.size(), "without pagination: everyone, staff included");
        assertFalse(unpaged.get(0).has("details"), "details only with extra=true");
        assertEquals("MySQL error: Unknown column 'id' in 'order clause'",
                SimCalls.envelope(sim, "get-users", Map.of("sorting", "[\"id\",\"ASC\"]")).get("response").asText());
    }

    @Test
    void getNewUsersTakesAnIdOrADate() {
        JsonNode afterId = call("get-new-users", Map.of("datetime", "245"));
        assertEquals(List.of("250", "249", "248", "247", "246"), afterId.findValuesAsText("id"));
        sim.advance(Duration.ofMinutes(5));
        sim.mutate(0, 2);
        String since = UserJson.date(sim.now().getEpochSecond() - 60);
        assertEquals(List.of("252", "251"), call("get-new-users", Map.of("datetime", since)).findValuesAsText("id"));
        assertEquals(252, call("get-new-users", Map.of("datetime", "2000-01-01")).size());
        assertFalse(SimCalls.envelope(sim, "get-new-users", Map.of("datetime", "soon")).get("success").asBoolean());
    }

    @Test
    void theWriteSideAddsUpdatesFindsAndDeletes() {
        long id = call("add-user", Map.of("first_name", "Анна", "last_name", "Петрова", "email", "anna@example.ru",
                "password", "s3cret", "extra", "{\"phone\": [\"+7 919 123-12-12\", \"Phone\"]}")).asLong();
        assertEquals(251, id);
        assertEquals("duplicate-email", SimCalls.envelope(sim, "add-user", Map.of("email", "ANNA@example.ru")).get("response").asText());
        assertEquals("invalid-user-type", SimCalls.envelope(sim, "add-user", Map.of("user_tyoe", "robot")).get("response").asText());

        JsonNode found = call("get-user-by", Map.of("by", "phone", "value", "+7 919 123-12-12"));
        assertEquals(String.valueOf(id), found.get("id").asText());
        assertEquals("user", found.get("user_type").asText(), "with an email the default type is user");

        assertTrue(call("update-user", Map.of("user_id", String.valueOf(id), "last_name", "Смирнова",
                "settings_extra", "{\"language\": [\"ru\", \"Language\"], \"company\": [\"ООО Ромашка\", \"Company\"]}")).asBoolean());
        JsonNode user = SimCalls.getUser(sim, id);
        assertEquals("Смирнова", user.get("last_name").asText());
        assertEquals(List.of("phone", "language", "company"), user.get("details").findValuesAsText("slug"));
        assertEquals("s3cret", user.get("password").asText());

        long generated = sim.ids("lead").get(0);
        String email = SimCalls.getUser(sim, generated).get("email").asText();
        assertEquals(String.valueOf(generated), call("get-user-by", Map.of("by", "email", "value", email)).get("id").asText());
        assertEquals("duplicate-email", SimCalls.envelope(sim, "update-user",
                Map.of("user_id", String.valueOf(id), "email", email)).get("response").asText());
        assertTrue(call("update-user", Map.of("user_id", String.valueOf(generated), "email", "NULL")).asBoolean());
        assertTrue(SimCalls.getUser(sim, generated).get("email").isNull());

        assertTrue(call("delete-user", Map.of("user_id", String.valueOf(id))).asBoolean());
        assertEquals("false", call("get-user", Map.of("user_id", String.valueOf(id))).toString());
        assertEquals("false", call("get-user-by", Map.of("by", "email", "value", "anna@example.ru")).toString());
        assertEquals(250, sim.userCount());
    }

    @Test
    void countUsersListsContactTypesAndAllAsText() {
        JsonNode counts = call("count-users", Map.of());
        assertEquals("250", counts.get("all").asText());
        assertEquals(sim.ids("lead").size(), Integer.parseInt(counts.get("lead").asText()));
        assertEquals(sim.ids("agent", "admin").size(),
                250 - counts.get("lead").asInt() - counts.get("user").asInt() - counts.get("visitor").asInt());
        assertTrue(counts.get("all").isTextual());
    }

    @Test
    void theSameSeedGivesTheSameUsersAndMutateChangesContactsOnly() {
        try (StepChatSimulator twin = StepChatSimulator.start(250, 11)) {
            assertEquals(call("get-users", Map.of("extra", "true")), SimCalls.response(twin, "get-users", Map.of("extra", "true")));
        }
        Set<String> staffBefore = new HashSet<>(call("get-users", Map.of("user_types", "[\"agent\",\"admin\"]")).toString().lines().toList());
        sim.mutate(10, 5);
        assertEquals(255, sim.userCount());
        JsonNode active = call("get-users", Map.of("sorting", "[\"last_activity\",\"DESC\"]", "pagination", "1"));
        String now = UserJson.date(sim.now().getEpochSecond());
        assertEquals(15, active.findValuesAsText("last_activity").stream().filter(now::equals).count());
        assertEquals(staffBefore, new HashSet<>(call("get-users", Map.of("user_types", "[\"agent\",\"admin\"]")).toString().lines().toList()));
    }

    @Test
    void theFactoryIsFoundAndPointsASourceAtTheSimulator() {
        PlatformSimulator.Factory factory = ServiceLoader.load(PlatformSimulator.Factory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.platform().equals("stepchat")).findFirst().orElseThrow();
        try (PlatformSimulator other = factory.start(10, 1)) {
            Map<String, String> props = other.sourceProperties("shop");
            assertTrue(props.get("botsync.shop.url").endsWith("/api.php"));
            assertTrue(props.containsKey("botsync.shop.token"));
            assertEquals(10, other.userCount());
        }
    }

    @Test
    void aMillionUsersFitAndPageWithoutResortingEveryPage() {
        try (StepChatSimulator big = StepChatSimulator.start(1_000_000, 5)) {
            assertEquals(1_000_000, big.userCount());
            Map<String, String> page = new java.util.HashMap<>(Map.of("sorting", "[\"creation_time\",\"ASC\"]", "extra", "true"));
            for (int p : new int[] {1, 5000, 9000}) {
                page.put("pagination", String.valueOf(p));
                JsonNode users = SimCalls.response(big, "get-users", page);
                assertEquals(100, users.size());
                assertEquals(String.valueOf((p - 1) * 100 + 1), users.get(0).get("id").asText());
            }
            assertEquals(3, SimCalls.response(big, "get-new-users", Map.of("datetime", "999997")).size());
        }
    }
}
