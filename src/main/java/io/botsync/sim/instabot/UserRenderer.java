package io.botsync.sim.instabot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Turns a {@link SimUser} into the JSON Instabot sends (the "Get Users List" sample of the reference), deriving
 * every generated field from (seed, objectId, version), so the same seed always gives the same users.
 */
final class UserRenderer {

    static final String[] USER_TYPES = {"general", "reference", "anonymous"};

    private static final String[] FIRST = {"Anna", "Boris", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines",
        "Jonas", "Kira", "Liam", "Maya", "Nikolai", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tatiana", "Uma", "Victor",
        "Wen", "Xenia", "Yusuf", "Zoe", "José", "Zoë", "Ærin", "Łukasz"};
    private static final String[] LAST = {"Petrova", "Smith", "Nguyen", "Garcia", "Müller", "Kowalski", "Okafor", "Tanaka",
        "Johansson", "Rossi", "Ivanov", "Dubois", "Silva", "O'Brien", "Haddad", "Kim", "Novak", "Larsen", "Costa", "Zhuchkova"};
    private static final String[] DOMAINS = {"example.com", "mail.example.org", "Example.NET", "corp.example.io"};
    private static final String[][] PLACES = {{"Saint Petersburg", "Sankt-Peterburg", "Russian Federation"},
        {"Boston", "Massachusetts", "United States"}, {"Berlin", "Berlin", "Germany"}, {"Lagos", "Lagos", "Nigeria"},
        {"Osaka", "Osaka", "Japan"}, {"São Paulo", "São Paulo", "Brazil"}};
    private static final String[] DEVICES = {"Chrome 64.0.3282", "Safari 17.2", "Firefox 121.0", "iPhone 13", "Pixel 7"};
    private static final String[] PLANS = {"free", "pro", "team"};

    static final long TICKS_PER_SECOND = 10_000_000L;

    private final long seed;

    UserRenderer(long seed) {
        this.seed = seed;
    }

    static long ticks(Instant instant) {
        return Math.multiplyExact(instant.getEpochSecond(), TICKS_PER_SECOND) + instant.getNano() / 100;
    }

    /**
     * Instabot's .NET round-trip format with trailing zeros dropped: {@code yyyy-MM-dd'T'HH:mm:ss}, 0 to 7
     * fractional digits, then {@code Z}. Written by hand: a page formats 300 of them, and doing it with a
     * DateTimeFormatter and String.format was half of what the page cost.
     */
    static String format(long ticks) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(ticks, TICKS_PER_SECOND), 0, ZoneOffset.UTC);
        int fraction = (int) Math.floorMod(ticks, TICKS_PER_SECOND);
        byte[] text = new byte[32];
        int at = 0;
        // As the pattern's yyyy: the year of the era (no sign before Christ), with a plus once it needs five digits.
        int yearOfEra = time.getYear() > 0 ? time.getYear() : 1 - time.getYear();
        int yearWidth = 4;
        if (yearOfEra > 9999) {
            text[at++] = '+';
            yearWidth = Integer.toString(yearOfEra).length();
        }
        at = digits(text, at, yearOfEra, yearWidth);
        text[at++] = '-';
        at = digits(text, at, time.getMonthValue(), 2);
        text[at++] = '-';
        at = digits(text, at, time.getDayOfMonth(), 2);
        text[at++] = 'T';
        at = digits(text, at, time.getHour(), 2);
        text[at++] = ':';
        at = digits(text, at, time.getMinute(), 2);
        text[at++] = ':';
        at = digits(text, at, time.getSecond(), 2);
        if (fraction != 0) {
            int width = 7;
            while (fraction % 10 == 0) {
                fraction /= 10;
                width--;
            }
            text[at++] = '.';
            at = digits(text, at, fraction, width);
        }
        text[at++] = 'Z';
        return new String(text, 0, at, StandardCharsets.ISO_8859_1);
    }

    /** Puts the last {@code width} digits of {@code value} (at least 0) at {@code text[at]}; returns where they end. */
    private static int digits(byte[] text, int at, int value, int width) {
        int end = at + width;
        for (int i = end - 1; i >= at; i--, value /= 10) {
            text[i] = (byte) ('0' + value % 10);
        }
        return end;
    }

    /** The generated read-write fields of a user at its version; what an API write starts from. */
    WrittenFields generated(SimUser user) {
        SplittableRandom stable = random(user.objectId(), 0);
        SplittableRandom versioned = random(user.objectId(), user.version());
        String first = FIRST[stable.nextInt(FIRST.length)];
        String last = LAST[stable.nextInt(LAST.length)];
        String username = (first + "." + last).toLowerCase(Locale.ROOT).replace("'", "") + "." + user.objectId();
        if (USER_TYPES[user.type()].equals("anonymous")) {
            return new WrittenFields(username, "Visitor " + user.objectId() % 100000, null, null, null,
                    "{\"plan\":\"free\"}");
        }
        // A change (a new version) gives a new display name and a new email, as people change them.
        String shownFirst = user.version() == 0 ? first : FIRST[versioned.nextInt(FIRST.length)];
        String name = versioned.nextInt(10) == 0 ? username : shownFirst + " " + last;
        String email = switch (versioned.nextInt(6)) {
            case 0 -> null;
            // the user's id in the address: people have addresses of their own (one in capitals, padded, as typed)
            case 1 -> " " + (shownFirst + "." + last).toUpperCase(Locale.ROOT).replace("'", "") + user.version()
                    + "." + user.objectId() + "@" + DOMAINS[versioned.nextInt(DOMAINS.length)] + " ";
            default -> (shownFirst + "." + last).toLowerCase(Locale.ROOT).replace("'", "") + user.version() + "+"
                    + user.objectId() + "@" + DOMAINS[versioned.nextInt(DOMAINS.length)];
        };
        String phone = phone(stable);
        String description = stable.nextInt(4) == 0 ? "Met at the " + PLACES[stable.nextInt(PLACES.length)][0] + " fair" : null;
        String custom = "{\"plan\":\"" + PLANS[versioned.nextInt(PLANS.length)] + "\",\"score\":" + versioned.nextInt(100) + "}";
        return new WrittenFields(username, name, description, email, phone, custom);
    }

    /**
     * A phone in one of four written forms. Each person has a number of their own (seven random digits after the
     * form's prefix: a few share one, as a family does); with four digits, a million users shared each number twenty
     * ways and chained into contacts of thousands, which no real audience does.
     */
    private static String phone(SplittableRandom random) {
        String line = Integer.toString(10_000_000 + random.nextInt(10_000_000)).substring(1);
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> "+1 (555) " + line.substring(0, 3) + "-" + line.substring(3);
            case 2 -> "+44 20 7" + line.substring(0, 3) + " " + line.substring(3);
            case 3 -> "555." + line.substring(0, 3) + "." + line.substring(3);
            default -> "+7-812-" + line.substring(0, 3) + "-" + line.substring(3);
        };
    }

    /**
     * Writes the user as the list endpoints return it: the one place that knows its fields, their order and
     * their values. Pages stream it; {@link #render} parses it back for whoever wants a tree.
     */
    void write(JsonGenerator json, SimUser user, WrittenFields written) throws IOException {
        WrittenFields fields = written != null ? written : generated(user);
        SplittableRandom stable = random(user.objectId(), -1);
        String[] place = PLACES[stable.nextInt(PLACES.length)];
        String device = DEVICES[stable.nextInt(DEVICES.length)];
        boolean anonymous = USER_TYPES[user.type()].equals("anonymous");
        boolean mobile = device.startsWith("iPhone") || device.startsWith("Pixel");
        String updated = format(user.updateTicks());
        json.writeStartObject();
        json.writeFieldName(Key.developmentCompany.json);
        json.writeStartObject();
        field(json, Key.objectId, 16250400);
        json.writeEndObject();
        field(json, Key.name, fields.name());
        field(json, Key.email, fields.email());
        field(json, Key.phone, fields.phone());
        field(json, Key.photoFile, null);
        field(json, Key.firstLoginTime, anonymous ? null : format(user.createTicks() + TICKS_PER_SECOND * 120));
        field(json, Key.lastLoginTime, anonymous ? null : updated);
        field(json, Key.lastSeenDate, updated);
        field(json, Key.username, fields.username());
        field(json, Key.referralCode, Long.toString(Math.abs(stable.nextLong()) % 2821109907456L, 36).toUpperCase(Locale.ROOT));
        field(json, Key.description, fields.description());
        json.writeFieldName(Key.systemProperties.json);
        json.writeStartObject();
        field(json, Key.deviceModel, device);
        field(json, Key.deviceType, mobile ? "Mobile" : "Web");
        field(json, Key.city, place[0]);
        field(json, Key.region, place[1]);
        field(json, Key.country, place[2]);
        field(json, Key.clientPlatform, mobile ? "mobile" : "web");
        json.writeEndObject();
        json.writeFieldName(Key.customProperties.json);
        if (fields.customProperties() == null) {
            json.writeNull();
        } else {
            // Already the bytes Jackson writes for it (see WrittenFields): no need to parse it for every user.
            json.writeRawValue(fields.customProperties());
        }
        field(json, Key.userType, USER_TYPES[user.type()]);
        field(json, Key.lastActivityDate, updated);
        field(json, Key.requestInfo, null);
        field(json, Key.rowVersion, 75_000_000L + user.objectId() % 100_000 * 10 + user.version());
        field(json, Key.createDate, format(user.createTicks()));
        field(json, Key.updateDate, updated);
        field(json, Key.objectId, user.objectId());
        json.writeEndObject();
    }

    private static void field(JsonGenerator json, Key key, String value) throws IOException {
        json.writeFieldName(key.json);
        json.writeString(value);
    }

    private static void field(JsonGenerator json, Key key, long value) throws IOException {
        json.writeFieldName(key.json);
        json.writeNumber(value);
    }

    /** A user's keys, encoded once: encoding them char by char for every user was a quarter of what a page cost. */
    private enum Key {
        developmentCompany, objectId, name, email, phone, photoFile, firstLoginTime, lastLoginTime, lastSeenDate, username,
        referralCode, description, systemProperties, deviceModel, deviceType, city, region, country, clientPlatform,
        customProperties, userType, lastActivityDate, requestInfo, rowVersion, createDate, updateDate;

        final SerializableString json = new SerializedString(name());
    }

    /** The user as a tree, as a client would read it. */
    ObjectNode render(SimUser user, WrittenFields written) {
        try {
            return (ObjectNode) SimServer.JSON.readTree(SimServer.json(json -> write(json, user, written)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SplittableRandom random(long objectId, int version) {
        long mixed = seed * 0x9E3779B97F4A7C15L ^ objectId * 0xC2B2AE3D27D4EB4FL ^ (version + 1L) * 0x165667B19E3779F9L;
        return new SplittableRandom(mixed);
    }
}
