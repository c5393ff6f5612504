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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

    /** The platforms' usual forms have a reader of their own; it must read every value as what it says. */
    @Test
    void everyUsualFormReadsEveryDateTimeExactly() {
        Random random = new Random(23);
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime time = LocalDateTime.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), 0, ZoneOffset.UTC);
            int digits = random.nextInt(10);
            String fraction = digits == 0 ? "" : "." + String.format("%09d", random.nextInt(1_000_000_000)).substring(0, digits);
            Instant expected = time.toInstant(ZoneOffset.UTC).plusNanos(digits == 0 ? 0 : Long.parseLong(
                    (fraction.substring(1) + "000000000").substring(0, 9)));
            String date = time.toLocalDate().toString();
            String clock = String.format("%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond()) + fraction;
            for (String text : List.of(date + "T" + clock + "Z", date + " " + clock, date + "T" + clock)) {
                assertEquals(expected, Timestamps.parse(text), text);
            }
        }
    }

    /** The content hash is taken over an instant's {@code toString()}: a user's stored hash must not change. */
    @Test
    void theHashTakesInstantsInTheirIsoFormAsItAlwaysHas() throws Exception {
        CanonicalUser ann = normalise("{\"external_id\":\"1\",\"email\":\"Ann@Example.com\",\"phone\":\"+1 202 555 0100\","
                + "\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"display_name\":\"Ann Lee\",\"user_type\":\"Lead\","
                + "\"locale\":\"en\",\"created_at\":\"2016-12-26T21:05:00Z\",\"attributes\":{\"a\":1}}");
        assertEquals(ann.contentHash(), Normaliser.contentHash(ann), "the hash of a normalised user is the one it carries");
        assertEquals("6a9175c88664ad694f155452e2acc5d7da5839417d53d3881871edd98e77ef59",
                normalise("{\"external_id\":\"1\",\"email\":\"Ann@Example.com\",\"created_at\":\"2016-12-26T21:05:00Z\","
                        + "\"updated_at\":\"2016-12-26 21:05:47.1064\",\"attributes\":{\"b\":1,\"a\":\"x\"}}").contentHash());
        Random random = new Random(22);
        List<Instant> instants = new ArrayList<>(List.of(Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.EPOCH, Instant.MIN, Instant.MAX));
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-62_200_000_000L, 253_500_000_000L);
            // whole minutes and seconds, and nanoseconds that print as 3, 6 or 9 digits
            seconds -= random.nextBoolean() ? seconds % 60 : 0;
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant instant : instants) {
            assertEquals(instant.toString(), Timestamps.iso(instant));
        }
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
