package io.botsync.sim.mercury;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;

/**
 * One simulated Mercury bot user, kept compact (four longs) so that a million fit in a few tens of megabytes:
 * the id, a word of "traits" from which names, contact details and context parameters are derived, and the
 * last interaction. Everything else is computed when a request renders the user.
 *
 * <p>Traits, bit by bit: 0-7 first name, 8-15 last name, 16-23 email number, 24-26 email domain, 27-29 locale,
 * 30-31 stage, 32-33 company, 34-35 email present unless 0, 36-37 phone present unless 0, 38 newsletter,
 * 40-63 phone number.
 */
record SimUser(long idHigh, long idLow, long traits, long lastInteractionMillis) {

    private static final String[] FIRST = {"Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hugo",
            "Ines", "Jonas", "Kemal", "Lena", "Marta", "Noah", "Olga", "Paul", "Rosa", "Sami", "Tilda", "Yusuf"};
    private static final String[] LAST = {"Schmidt", "Müller", "Weber", "Fischer", "Novak", "Rossi", "Dubois",
            "Kowalski", "Smith", "Garcia", "Jansen", "Yilmaz", "Berg", "Lund", "O'Neill", "Ivanova"};
    private static final String[] DOMAINS = {"example.com", "mail.test", "Example.org", "bots.invalid",
            "company.example", "post.test", "web.example", "inbox.test"};
    private static final String[] LOCALES = {"de", "en", "fr", "it", "es", "nl", "pl", "tr"};
    private static final String[] DIALLING = {"+49", "+44", "+33", "+39", "+34", "+31", "+48", "+90"};
    private static final String[] COMPANIES = {"Mercury.ai", "ACME GmbH", "Initech", "Globex"};

    /** Mercury's {@code lastInteractionTime} is a SQL timestamp as Java prints it: {@code 2020-03-17 16:54:06.0}. */
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    /** The order of the user ids' text, which is the unsigned order of (idHigh, idLow). */
    static final Comparator<SimUser> BY_ID = (a, b) -> compare(a, b.idHigh, b.idLow);

    static int compare(SimUser a, long high, long low) {
        int byHigh = Long.compareUnsigned(a.idHigh, high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(a.idLow, low);
    }

    /** The lower-case UUID text; its string order is the unsigned order of (idHigh, idLow). */
    String userId() {
        return new UUID(idHigh, idLow).toString();
    }

    UUID uuid() {
        return new UUID(idHigh, idLow);
    }

    String firstName() {
        return FIRST[bits(0, 8) % FIRST.length];
    }

    String lastName() {
        return LAST[bits(8, 8) % LAST.length];
    }

    String locale() {
        return LOCALES[bits(27, 3)];
    }

    int stage() {
        return bits(30, 2) % 3;
    }

    String company() {
        return COMPANIES[bits(32, 2)];
    }

    /** Some addresses come with capitals or padding, as people type them; null for a user without one. */
    String email() {
        if (bits(34, 2) == 0) {
            return null;
        }
        int number = bits(16, 8);
        String local = (firstName() + "." + lastName()).replace("'", "").replace("ü", "ue") + (number == 0 ? "" : number);
        String domain = DOMAINS[bits(24, 3)];
        return domain.startsWith("E") ? " " + local + "@" + domain : local.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** A phone with its country's dialling code, spaced as typed; null for a user without one. */
    String phone() {
        if (bits(36, 2) == 0) {
            return null;
        }
        String digits = String.format(Locale.ROOT, "%08d", bits(40, 24) % 100_000_000);
        return DIALLING[bits(27, 3)] + " 15" + digits.charAt(0) + " " + digits.substring(1);
    }

    boolean newsletter() {
        return bits(38, 1) == 1;
    }

    /** {@code yyyy-MM-dd HH:mm:ss.f} in UTC, the fraction as short as it can be and at least one digit. */
    String lastInteractionTime() {
        Instant instant = Instant.ofEpochMilli(lastInteractionMillis);
        LocalDateTime time = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        String fraction = String.format(Locale.ROOT, "%03d", instant.getNano() / 1_000_000).replaceAll("0+$", "");
        return SECONDS.format(time) + "." + (fraction.isEmpty() ? "0" : fraction);
    }

    /** The same person with a new email address (or, one time in four, a new last name), active at {@code millis}. */
    SimUser changed(long millis) {
        long field = (traits >>> 16 & 3) == 0 ? 8 : 16;
        long next = ((traits >>> field) + 1) & 0xFF;
        return new SimUser(idHigh, idLow, (traits & ~(0xFFL << field)) | next << field | 1L << 34, millis);
    }

    private int bits(int from, int count) {
        return (int) ((traits >>> from) & ((1L << count) - 1));
    }
}
