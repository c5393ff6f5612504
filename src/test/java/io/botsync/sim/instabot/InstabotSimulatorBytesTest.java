package io.botsync.sim.instabot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What the simulator answers, pinned to the byte: a reader's cursors, hashes and golden files all depend on the
 * same seed giving the same JSON, so a faster renderer must not move a single byte. The digest was taken with the
 * tree-building renderer; if a change here is meant, say so in the commit. Changed on 2026-12-02, meant: each person
 * has a phone number and an email address of their own (contacts resolve people by them).
 */
class InstabotSimulatorBytesTest {

    private static final String GOLDEN = "a25391a48abc37886752bd6633d4730c59103a5acabc16837b0fdd293e85b7ed";

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void pagesAndUsersAreByteForByteWhatTheSeedGaveBefore() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (InstabotSimulator sim = new InstabotSimulator(1000, 42)) {
            // Every kind of user a page can hold: generated, changed, written through the API (odd text, odd
            // customProperties, none), written and then changed, deleted, restored, added, stamped at odd times.
            sim.clock(Clock.fixed(Instant.parse("2024-03-04T05:06:07.1234500Z"), ZoneOffset.UTC));
            record(all, sim, "POST", "/v1/users", "{\"userName\":\"Odd.One\",\"userPassword\":\"pw\",\"name\":\"Zoë \\\"Q\\\" \\u0007\\t</x>\","
                    + "\"email\":\" MIXED@Example.COM \",\"phone\":\"\",\"description\":\"line1\\nline2 \\u2028 😀\","
                    + "\"customProperties\":{\"plan\":\"pro\",\"score\":1.50,\"big\":123456789012345678901234567890,"
                    + "\"tiny\":1e-7,\"huge\":1E300,\"neg\":-0.0,\"list\":[1,\"two\",null,true,{\"x\":[]}],\"nested\":{\"a\":{}},"
                    + "\"dup\":1,\"dup\":2,\"esc\":\"\\u0000\\\\/\"}}");
            record(all, sim, "POST", "/v1/users", "{\"userName\":\"bare\",\"userPassword\":\"pw\"}");
            record(all, sim, "POST", "/v1/users", "{\"userName\":\"astral\",\"userPassword\":\"pw\",\"name\":\"\ud800 alone\","
                    + "\"customProperties\":{\"emoji 😀\":\"😀 \\ud83d\\ude00\",\"alone\":\"\\ud800|\\udc00x\",\"edges\":\"\u007f\u0080\u07ff\u0800\uffff\","
                    + "\"inf\":1e400,\"minusInf\":-1e400,\"max\":1.7976931348623157E308,\"min\":4.9e-324,\"tenth\":0.1,"
                    + "\"bigFloat\":12345678901234567890123.5,\"one\":1.0,\"hundred\":100,\"belowLong\":-9223372036854775809,"
                    + "\"deep\":[[[{\"😀\":[\"😀\"]}]]]}}");
            record(all, sim, "POST", "/v1/users", "{\"userName\":\"list\",\"userPassword\":\"pw\",\"customProperties\":[1,2]}");
            List<Long> ids = sim.liveIds();
            sim.clock(Clock.fixed(Instant.parse("2024-03-05T00:00:00Z"), ZoneOffset.UTC));
            record(all, sim, "PUT", "/v1/users/" + ids.get(3), "{\"email\":\"put@example.com\",\"phone\":null,\"customProperties\":{\"k\":0}}");
            record(all, sim, "PUT", "/v1/users/" + ids.get(4), "{\"name\":\"Kept Custom\"}");
            record(all, sim, "PUT", "/v1/users/" + ids.get(5), "{\"customProperties\":{\"plan\":\"😀\",\"score\":1e2}}");
            sim.clock(Clock.fixed(Instant.parse("2024-03-06T10:20:30.0000001Z"), ZoneOffset.UTC));
            sim.change(ids.get(3));
            sim.change(ids.get(5));
            sim.change(ids.get(10));
            sim.change(ids.get(10));
            sim.clock(Clock.fixed(Instant.parse("1969-12-31T23:59:59.99Z"), ZoneOffset.UTC));
            sim.change(ids.get(20));
            sim.clock(Clock.fixed(Instant.parse("-0044-03-15T12:00:00.5Z"), ZoneOffset.UTC));
            sim.change(ids.get(21));
            sim.clock(Clock.fixed(Instant.parse("+12345-06-07T08:09:10.0123Z"), ZoneOffset.UTC));
            sim.change(ids.get(22));
            sim.clock(Clock.fixed(Instant.parse("2024-04-01T00:00:00.000010Z"), ZoneOffset.UTC));
            record(all, sim, "DELETE", "/v1/users/" + ids.get(30), null);
            record(all, sim, "DELETE", "/v1/users/" + ids.get(31), null);
            record(all, sim, "POST", "/v1/users/" + ids.get(31), null);
            sim.delete(ids.get(0));
            sim.mutate(7, 4);

            for (long id : List.of(ids.get(1), ids.get(2), ids.get(3), ids.get(4), ids.get(5), ids.get(10), ids.get(20), ids.get(21),
                    ids.get(22), ids.get(31), ids.get(ids.size() - 1), ids.get(ids.size() - 2), ids.get(ids.size() - 3), ids.get(ids.size() - 4))) {
                record(all, sim, "GET", "/v1/users/" + id, null);
                all.write((sim.user(id) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            for (int skip : new int[] {0, 100, 500, 937, 1000}) {
                record(all, sim, "GET", "/v1/users?type=all&limit=100&skip=" + skip, null);
                record(all, sim, "GET", "/v1/users?limit=100&skip=" + skip, null);
            }
            record(all, sim, "GET", "/v1/users?type=all", null);
            record(all, sim, "GET", "/v1/users?limit=7&skip=3", null);
            for (String since : List.of("-1000-01-01T00:00:00", "2023-06-01T00:00:00", "2024-01-01T00:00:00")) {
                for (int skip : new int[] {0, 100, 600}) {
                    record(all, sim, "GET", "/v1/users/lastUpdated?type=all&limit=100&skip=" + skip + "&since=" + since, null);
                    record(all, sim, "GET", "/v1/users/lastUpdated?limit=100&skip=" + skip + "&since=" + since, null);
                }
            }
            sim.newestFirst(true);
            record(all, sim, "GET", "/v1/users/lastUpdated?type=all&limit=100&since=2023-01-01T00:00:00", null);
            record(all, sim, "GET", "/v1/users/lastUpdated?limit=50&skip=20&since=2023-01-01T00:00:00", null);
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(all.toByteArray());
        assertEquals(GOLDEN, HexFormat.of().formatHex(digest), "the simulator's answers changed (" + all.size() + " bytes)");
    }

    private void record(ByteArrayOutputStream all, InstabotSimulator sim, String method, String pathAndQuery, String json)
            throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("X-Instabot-Api-Key", InstabotSimulator.API_KEY)
                .header("Authorization", "X-Instabot-Master-Api-Key " + InstabotSimulator.MASTER_API_KEY)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        all.write((method + " " + pathAndQuery + " " + response.statusCode() + " "
                + response.headers().firstValue("Content-Type").orElse("") + "\n").getBytes(StandardCharsets.UTF_8));
        all.write(response.body());
        all.write('\n');
    }

    @Test
    void ticksAreFormattedAsTheRoundTripPatternSaysForAnyInstant() {
        DateTimeFormatter seconds = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 200_000; i++) {
            long ticks = switch (i % 4) {
                case 0 -> random.nextLong();                                                   // any year, BCE and +10000 on
                case 1 -> random.nextLong(-700_000_000_000_000_000L, 700_000_000_000_000_000L); // years -250 to 4200
                case 2 -> random.nextLong(10_000_000L) * 10_000_000L;                           // whole seconds
                default -> random.nextLong(-100_000_000_000L, 100_000_000_000L);                // either side of 1970
            };
            long fraction = Math.floorMod(ticks, UserRenderer.TICKS_PER_SECOND);
            String digits = String.format(Locale.ROOT, "%07d", fraction).replaceAll("0+$", "");
            Instant second = Instant.ofEpochSecond(Math.floorDiv(ticks, UserRenderer.TICKS_PER_SECOND));
            String expected = seconds.format(second) + (digits.isEmpty() ? "" : "." + digits) + "Z";
            assertEquals(expected, UserRenderer.format(ticks), Long.toString(ticks));
        }
    }
}
