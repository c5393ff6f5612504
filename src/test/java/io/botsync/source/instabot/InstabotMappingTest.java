package io.botsync.source.instabot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Mapping;
import io.botsync.mapping.Mappings;
import io.botsync.mapping.Normaliser;
import io.botsync.model.CanonicalUser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default mapping (mappings/instabot.jslt) and the Normaliser, on records the reader fetched from the simulator. */
class InstabotMappingTest {

    private static InstabotFixture fixture;
    private static Map<String, ObjectNode> records;
    private final Normaliser normaliser = new Normaliser();

    @BeforeAll
    static void readEveryone() {
        fixture = new InstabotFixture(1500, 11);
        records = InstabotFixture.run(fixture.reader(Map.of()), null, true).users();
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static Mapping mapping() {
        return new Mappings(Path.of("mappings")).forPlatform("instabot");
    }

    @Test
    void everyRecordMapsAsDesignsTableSays() {
        Mapping mapping = mapping();
        assertEquals(1500, records.size());
        records.forEach((id, record) -> {
            CanonicalUser user = normaliser.normalise("instabot", mapping.apply(record));
            assertEquals(id, user.externalId());
            assertEquals(expectedEmail(record), user.email(), id);
            assertEquals(record.path("name").asText(null), user.displayName());
            assertEquals(record.get("userType").asText(), user.userType());
            assertNull(user.firstName());
            assertNull(user.lastName());
            assertNull(user.locale());
            // Instant.parse reads any number of fractional digits: an independent reading of each variant
            assertEquals(Instant.parse(record.get("createDate").asText()), user.createdAt(), id);
            assertEquals(Instant.parse(record.get("updateDate").asText()), user.updatedAt(), id);
            if (!record.get("phone").isNull()) {
                assertEquals(record.get("phone").asText().startsWith("+"), user.phone().startsWith("+"));
                assertEquals(record.get("phone").asText().replaceAll("[^0-9]", ""), user.phone().replace("+", ""));
            } else {
                assertNull(user.phone());
            }
        });
    }

    private static String expectedEmail(JsonNode record) {
        JsonNode email = record.get("email");
        return email.isNull() || email.asText().isBlank() ? null : email.asText().strip().toLowerCase(Locale.ROOT);
    }

    @Test
    void attributesKeepUsernameDescriptionAndBothPropertyBags() throws Exception {
        Mapping mapping = mapping();
        ObjectNode record = records.values().stream().filter(r -> !r.get("description").isNull()).findFirst().orElseThrow();
        JsonNode attributes = new ObjectMapper().readTree(normaliser.normalise("instabot", mapping.apply(record)).attributes());

        assertEquals(Set.of("username", "description", "customProperties", "systemProperties"), fieldNames(attributes));
        assertEquals(record.get("username"), attributes.get("username"));
        assertEquals(record.get("customProperties"), attributes.get("customProperties"));
        assertEquals(record.get("systemProperties"), attributes.get("systemProperties"));
    }

    @Test
    void timestampsWithZeroToSevenFractionalDigitsAllArrive() {
        Set<Integer> digits = new TreeSet<>();
        records.values().forEach(record -> {
            for (String field : new String[] {"createDate", "updateDate"}) {
                String text = record.get(field).asText();
                assertTrue(text.endsWith("Z"), text);
                int dot = text.indexOf('.');
                digits.add(dot < 0 ? 0 : text.length() - dot - 2);
            }
        });
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), digits);
    }

    @Test
    void theSameUserReadTwiceHashesTheSameAndAChangedOneDoesNot() {
        Mapping mapping = mapping();
        String id = records.keySet().iterator().next();
        ObjectNode again = fixture.sim.user(Long.parseLong(id));
        String hash = normaliser.normalise("instabot", mapping.apply(records.get(id))).contentHash();

        assertEquals(hash, normaliser.normalise("instabot", mapping.apply(again)).contentHash());
        fixture.sim.change(Long.parseLong(id));
        assertNotEquals(hash, normaliser.normalise("instabot", mapping.apply(fixture.sim.user(Long.parseLong(id)))).contentHash());
    }

    @Test
    void theBuiltInCopyIsTheRepositoryFileAndCreatedUsersKeepTheirUserName() throws Exception {
        Mapping builtIn = new Mappings(Path.of("target", "no-mappings-here")).forPlatform("instabot");
        assertTrue(builtIn.file().startsWith("(built-in)"));
        ObjectNode record = records.values().iterator().next();
        assertEquals(mapping().apply(record), builtIn.apply(record));

        ObjectNode created = (ObjectNode) new ObjectMapper().readTree(
                "{\"objectId\": 400, \"userName\": \"user1\", \"email\": \"\", \"phone\": null, \"name\": \"User First\","
                        + " \"createDate\": \"2016-12-26T21:05:47Z\", \"updateDate\": \"2016-12-26T22:21:11.1711Z\"}");
        CanonicalUser user = normaliser.normalise("instabot", builtIn.apply(created));
        assertEquals("400", user.externalId());
        assertNull(user.email());
        assertFalse(user.attributes().contains("null"), user.attributes());
        assertEquals("{\"username\":\"user1\"}", user.attributes());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
