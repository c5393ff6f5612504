package io.botsync.source.stepchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Mapping;
import io.botsync.mapping.Mappings;
import io.botsync.mapping.Normaliser;
import io.botsync.mapping.RejectedException;
import io.botsync.model.CanonicalUser;
import io.botsync.sim.SimServer;
import io.botsync.sim.stepchat.SimCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default mapping ({@code mappings/stepchat.jslt}) and the Normaliser on records the reader returns. */
class StepChatMappingTest {

    private StepChatHarness h;
    private final Mapping mapping = new Mappings(Path.of("mappings")).forPlatform("stepchat");
    private final Normaliser normaliser = new Normaliser();

    @BeforeEach
    void start() {
        h = new StepChatHarness(120, 3);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private CanonicalUser map(JsonNode record) {
        return normaliser.normalise("stepchat", mapping.apply(record));
    }

    @Test
    void everyGeneratedUserMapsAsDesignMdSays() {
        for (ObjectNode record : h.sync(false).records()) {
            CanonicalUser user = map(record);
            Map<String, String> details = new java.util.HashMap<>();
            record.get("details").forEach(d -> details.put(d.get("slug").asText(), d.get("value").asText()));

            assertEquals(record.get("id").asText(), user.externalId());
            assertEquals(record.path("email").isNull() ? null : record.get("email").asText().toLowerCase(), user.email());
            assertEquals(record.get("first_name").asText() + " " + record.get("last_name").asText(), user.displayName());
            assertEquals(record.get("user_type").asText(), user.userType());
            assertEquals(details.get("language"), user.locale());
            if (details.containsKey("phone")) {
                assertTrue(user.phone().matches("\\+?\\d{11}"), user.phone());
                assertEquals(details.get("phone").replaceAll("[^0-9]", ""), user.phone().replace("+", ""));
            } else {
                assertNull(user.phone());
            }
            assertEquals(Instant.parse(record.get("creation_time").asText().replace(' ', 'T') + "Z"), user.createdAt());
            assertEquals(Instant.parse(record.get("last_activity").asText().replace(' ', 'T') + "Z"), user.updatedAt());
            assertTrue(user.attributes().contains("\"location\":"), user.attributes());
            assertTrue(user.attributes().contains("\"country_code\":"));
            assertFalse(user.attributes().contains("\"phone\"") || user.attributes().contains("\"language\""));
            assertFalse(user.attributes().contains("token") || user.attributes().contains("password"));
        }
    }

    @Test
    void departmentGoesToAttributesAndMissingDetailsAreNoProblem() throws Exception {
        ObjectNode agent = (ObjectNode) SimServer.JSON.readTree("""
                {"id": "881", "first_name": "Иван", "last_name": null, "email": " Ivan@Example.RU ",
                 "user_type": "agent", "creation_time": "2023-05-12 14:28:57", "last_activity": "2023-05-12 14:28:57",
                 "department": "2"}""");
        CanonicalUser user = map(agent);
        assertEquals("ivan@example.ru", user.email());
        assertEquals("Иван", user.displayName());
        assertEquals("{\"department\":\"2\"}", user.attributes());
        assertNull(user.phone());
    }

    @Test
    void anUnparseableLastActivityRejectsThatRecordAndTheRestOfItsPageMaps() {
        h.sync(false);
        h.sim.advance(Duration.ofHours(1));
        List<Long> users = h.sim.ids("user");
        users.subList(0, 4).forEach(h.sim::change);
        h.sim.setRawLastActivity(users.get(2), "вчера, 9:07");

        StepChatHarness.Result run = h.sync(false);
        List<String> rejected = new ArrayList<>();
        int mapped = 0;
        for (ObjectNode record : run.records()) {
            try {
                map(record);
                mapped++;
            } catch (RejectedException e) {
                rejected.add(record.get("id").asText() + ": " + e.getMessage());
            }
        }

        assertEquals(List.of(users.get(2) + ": updated_at: 'вчера, 9:07' is not a date and time"), rejected);
        assertEquals(run.records().size() - 1, mapped);
        assertTrue(run.records().size() >= 4);
        assertThrows(RejectedException.class, () -> map(SimCalls.getUser(h.sim, users.get(2))));
    }
}
