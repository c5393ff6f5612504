package io.botsync.source.mercury;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Mapping;
import io.botsync.mapping.Mappings;
import io.botsync.mapping.Normaliser;
import io.botsync.mapping.RejectedException;
import io.botsync.model.CanonicalUser;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sim.mercury.MercurySimulator.Defect;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The default mapping (mappings/mercury.jslt) and the Normaliser, on Mercury's own example and on simulator records. */
class MercuryMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mapping mapping = new Mappings(Path.of("mappings")).forPlatform("mercury");
    private final Normaliser normaliser = new Normaliser();
    private final MercurySimulator sim = new MercurySimulator(40, 7);

    @AfterEach
    void close() {
        sim.close();
    }

    private CanonicalUser canonical(ObjectNode record) {
        return normaliser.normalise("mercury", mapping.apply(record));
    }

    @Test
    void theReferenceExampleBecomesACanonicalUser() throws Exception {
        ObjectNode example = (ObjectNode) JSON.readTree("""
                {"userId":"db72b72a-8b47-4801-82f7-c948a386a579","firstName":"John","lastName":"Doe",
                 "lastInteractionTime":"2020-03-17 16:54:06.0",
                 "properties":{"user.locale":"de","user.firstName":"John","user.lastName":"Doe","user.company":"Mercury.ai"}}""");

        CanonicalUser user = canonical(example);

        assertEquals("db72b72a-8b47-4801-82f7-c948a386a579", user.externalId());
        assertEquals("John", user.firstName());
        assertEquals("Doe", user.lastName());
        assertEquals("John Doe", user.displayName());
        assertEquals("de", user.locale());
        assertEquals(Instant.parse("2020-03-17T16:54:06Z"), user.updatedAt());
        assertNull(user.email());
        assertNull(user.phone());
        assertNull(user.userType());
        assertNull(user.createdAt());
        assertEquals("{\"user.company\":\"Mercury.ai\"}", user.attributes());
    }

    @Test
    void simulatorUsersMapEveryColumnOfTheTable() {
        ObjectNode record = sim.renderAll().stream()
                .filter(user -> user.path("properties").has("user.email") && user.path("properties").has("user.phone")
                        && user.path("lastInteractionTime").asText().matches(".*\\.\\d{2,3}"))
                .findFirst().orElseThrow();
        ObjectNode properties = (ObjectNode) record.path("properties");

        CanonicalUser user = canonical(record);

        assertEquals(record.path("userId").asText(), user.externalId());
        assertEquals(properties.path("user.email").asText().strip().toLowerCase(), user.email());
        assertTrue(user.phone().matches("\\+\\d{10,}"), user.phone());
        assertEquals(properties.path("user.phone").asText().replace(" ", ""), user.phone());
        assertEquals(record.path("firstName").asText() + " " + record.path("lastName").asText(), user.displayName());
        assertEquals(properties.path("user.locale").asText(), user.locale());
        // "2024-05-06 07:08:09.12" is 120 ms past the second, read as UTC
        String time = record.path("lastInteractionTime").asText();
        assertEquals(Instant.parse(time.replace(' ', 'T') + "Z"), user.updatedAt());
        ObjectNode attributes = JSON.createObjectNode()
                .put("user.company", properties.path("user.company").asText())
                .put("user.newsletter", properties.path("user.newsletter").booleanValue());
        assertEquals(attributes.toString(), user.attributes());
    }

    @Test
    void theMappingInTheJarIsTheOneInMappings() {
        Mapping builtIn = new Mappings(Path.of("target/no-such-dir")).forPlatform("mercury");
        assertTrue(builtIn.file().startsWith("(built-in)"));
        for (ObjectNode record : sim.renderAll()) {
            assertEquals(mapping.apply(record), builtIn.apply(record));
        }
    }

    @Test
    void malformedSimulatorRecordsAreRejectedWithTheirReason() {
        sim.corrupt(1, Defect.NO_USER_ID);
        sim.corrupt(2, Defect.TIME_AS_NUMBER);
        sim.corrupt(3, Defect.PROPERTIES_AS_TEXT);
        List<ObjectNode> records = sim.renderAll();

        assertEquals(records.get(0).path("userId").asText(), canonical(records.get(0)).externalId());
        assertReason("no userId", records.get(1));
        assertReason("lastInteractionTime is not text: 1", records.get(2));
        assertReason("properties is not an object: user.locale=", records.get(3));
    }

    @Test
    void fieldsOfTheWrongTypeAreRejectedWithTheirReason() throws Exception {
        assertReason("userId is not text: 42", record("{\"userId\": 42}"));
        assertReason("firstName is not text: [\"Jo\"]", record("{\"userId\": \"u1\", \"firstName\": [\"Jo\"]}"));
        assertReason("property user.email is not text: {", record("{\"userId\": \"u1\", \"properties\": {\"user.email\": {\"a\": 1}}}"));
        assertReason("updated_at: 'yesterday' is not a date and time", record("{\"userId\": \"u1\", \"lastInteractionTime\": \"yesterday\"}"));
        // a phone kept as a number is still a phone
        assertEquals("4915112345678", canonical(record("{\"userId\": \"u1\", \"properties\": {\"user.phone\": 4915112345678}}")).phone());
    }

    private static ObjectNode record(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private void assertReason(String start, ObjectNode record) {
        RejectedException e = assertThrows(RejectedException.class, () -> canonical(record));
        assertTrue(e.getMessage().contains(start), e.getMessage());
    }
}
