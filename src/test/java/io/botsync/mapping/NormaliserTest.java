package io.botsync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.CanonicalUser;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormaliserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Normaliser normaliser = new Normaliser();

    private CanonicalUser normalise(String json) throws Exception {
        return normaliser.normalise("instabot", JSON.readTree(json));
    }

    @Test
    void emailIsTrimmedAndLowerCasedAndBlankIsNull() throws Exception {
        assertEquals("ann.lee@example.com", normalise("{\"external_id\":\"1\",\"email\":\"  Ann.Lee@Example.COM \"}").email());
        assertNull(normalise("{\"external_id\":\"1\",\"email\":\"   \"}").email());
        assertNull(normalise("{\"external_id\":\"1\",\"email\":null}").email());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+7 (919) 123-12-12|+79191231212",
            "8 919 123 12 12|89191231212",
            "  +49-151-000 |+49151000",
            "n/a|",
            "+|"})
    void phoneKeepsItsDigitsAndALeadingPlus(String raw, String expected) throws Exception {
        ObjectNode mapped = JSON.createObjectNode().put("external_id", "1").put("phone", raw);
        assertEquals(expected, normaliser.normalise("s", mapped).phone());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2016-12-26T21:05:47Z|2016-12-26T21:05:47Z",
            "2016-12-26T21:05:47.1Z|2016-12-26T21:05:47.100Z",
            "2016-12-26T21:05:47.1064Z|2016-12-26T21:05:47.106400Z",
            "2016-12-26T21:05:47.1234567Z|2016-12-26T21:05:47.123456700Z",
            "2023-05-12 14:28:57|2023-05-12T14:28:57Z",
            "2020-03-17 16:54:06.0|2020-03-17T16:54:06Z",
            "2020-03-17T18:54:06+02:00|2020-03-17T16:54:06Z",
            "2023-11-27|2023-11-27T00:00:00Z",
            // the usual forms take a faster path; these edges must read exactly as the flexible reading does
            "2016-12-26t21:05:47z|2016-12-26T21:05:47Z",
            "2016-12-26 21:05|2016-12-26T21:05:00Z",
            "2023-02-30 10:00:00|2023-02-28T10:00:00Z",
            "2016-12-26T21:05:47.123456789Z|2016-12-26T21:05:47.123456789Z",
            "2020-03-17T16:54:06-05:00|2020-03-17T21:54:06Z",
            "2020-03-17 16:54:06.123456789|2020-03-17T16:54:06.123456789Z"})
    void everyPlatformTimestampFormatIsAUtcInstant(String text, String utc) {
        assertEquals(Instant.parse(utc), Timestamps.parse(text));
    }

    @Test
    void aLeapSecondIsNoTimestamp() {
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parse("2024-12-31T23:59:60Z"));
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parse("2024-12-31 23:59:60"));
    }

    @Test
    void anUnreadableTimestampRejectsTheRecordNamingTheField() {
        RejectedException e = assertThrows(RejectedException.class,
                () -> normalise("{\"external_id\":\"1\",\"updated_at\":\"yesterday\"}"));
        assertEquals("updated_at: 'yesterday' is not a date and time", e.getMessage());
    }

    @Test
    void aRecordWithoutExternalIdOrWithValuesTooLongOrOfTheWrongTypeIsRejected() {
        assertEquals("no external_id", assertThrows(RejectedException.class, () -> normalise("{\"email\":\"a@b.c\"}")).getMessage());
        assertTrue(assertThrows(RejectedException.class,
                () -> normalise("{\"external_id\":\"1\",\"first_name\":\"" + "x".repeat(201) + "\"}")).getMessage()
                .startsWith("first_name is 201 characters long"));
        assertEquals("email is object, not text", assertThrows(RejectedException.class,
                () -> normalise("{\"external_id\":\"1\",\"email\":{\"a\":1}}")).getMessage());
        assertEquals("attributes is array, not an object", assertThrows(RejectedException.class,
                () -> normalise("{\"external_id\":\"1\",\"attributes\":[1]}")).getMessage());
    }

    @Test
    void theHashCoversContentWhateverTheKeyOrderAndNothingElse() throws Exception {
        CanonicalUser a = normalise("{\"external_id\":\"1\",\"email\":\"A@x.io\",\"attributes\":{\"b\":1,\"a\":{\"y\":2,\"x\":1}}}");
        CanonicalUser b = normalise("{\"attributes\":{\"a\":{\"x\":1,\"y\":2},\"b\":1},\"email\":\"a@x.io \",\"external_id\":\"1\"}");
        assertEquals(a.contentHash(), b.contentHash());
        assertEquals("{\"a\":{\"x\":1,\"y\":2},\"b\":1}", a.attributes());
        assertEquals(64, a.contentHash().length());
        CanonicalUser c = normalise("{\"external_id\":\"1\",\"email\":\"a@x.io\",\"attributes\":{\"b\":2,\"a\":{\"y\":2,\"x\":1}}}");
        assertNotEquals(a.contentHash(), c.contentHash());
        // a value moved from one field to the next must not hash the same
        assertNotEquals(normalise("{\"external_id\":\"1\",\"first_name\":\"Ann\"}").contentHash(),
                normalise("{\"external_id\":\"1\",\"last_name\":\"Ann\"}").contentHash());
    }
}
