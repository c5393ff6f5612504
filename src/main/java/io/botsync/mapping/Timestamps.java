package io.botsync.mapping;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Reads every timestamp format the platforms send into a UTC instant:
 * Instabot {@code 2016-12-26T21:05:47.1064Z} (0 to 7 fractional digits), StepChat {@code 2023-05-12 14:28:57},
 * Mercury {@code 2020-03-17 16:54:06.0}, and ISO-8601 with an offset. A time without an offset is UTC:
 * StepChat documents its dates as UTC+0; Mercury says nothing, and UTC is the only reading that does not
 * depend on where botsync runs.
 */
public final class Timestamps {

    private static final DateTimeFormatter FLEXIBLE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalEnd()
            .toFormatter();

    /** {@code yyyy-MM-dd HH:mm:ss} in UTC, the form StepChat takes in requests. */
    public static final DateTimeFormatter SQL_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** {@code yyyy-MM-dd'T'HH:mm:ss} in UTC, the form Instabot's {@code since} takes. */
    public static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final Instant FIRST_4_DIGIT_YEAR = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant FIRST_5_DIGIT_YEAR = Instant.parse("+10000-01-01T00:00:00Z");

    private Timestamps() {
    }

    /**
     * @throws IllegalArgumentException naming the text when it is no timestamp this class knows
     */
    public static Instant parse(String text) {
        String trimmed = text.trim();
        Instant usual = usual(trimmed);
        if (usual != null) {
            return usual;
        }
        try {
            TemporalAccessor parsed = FLEXIBLE.parseBest(trimmed, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            if (parsed instanceof OffsetDateTime offset) {
                return offset.toInstant();
            }
            if (parsed instanceof LocalDateTime local) {
                return local.toInstant(ZoneOffset.UTC);
            }
            return ((LocalDate) parsed).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + abbreviate(trimmed) + "' is not a date and time");
        }
    }

    /**
     * Exactly {@code instant.toString()}: the text the content hash has always been taken over, so stored hashes stay
     * valid. {@code Instant.toString} goes through {@code DateTimeFormatter} (JFR: 7% of a sync's allocation);
     * {@code LocalDateTime.toString} writes the same fields directly. It leaves out the seconds when they and the
     * nanoseconds are zero, where the instant's form has {@code :00}. Years outside 0000-9999, which the two
     * forms write differently, go to {@code Instant.toString}.
     */
    public static String iso(Instant instant) {
        if (instant.isBefore(FIRST_4_DIGIT_YEAR) || !instant.isBefore(FIRST_5_DIGIT_YEAR)) {
            return instant.toString();
        }
        String text = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC).toString();
        return text.length() == "yyyy-MM-ddTHH:mm".length() ? text + ":00Z" : text + "Z";
    }

    /**
     * The forms the platforms send every day, {@code yyyy-MM-dd(T| )HH:mm:ss(.f{1,9})?Z?}: Instabot's {@code ...T...Z}
     * and the offset-less date-times of StepChat and Mercury, read field by field. Every user carries two or three
     * of them, and the JDK's parsers ({@code Instant.parse}, {@code LocalDateTime.parse}) go through the general
     * {@code DateTimeFormatter} machinery: they were a sixth of the map stage's CPU and a quarter of a sync's
     * allocation (JFR, 300,000 users). Null for anything else, and for a field out of its range (a second 60, a
     * February 30): {@link #FLEXIBLE} decides those, as it always has.
     */
    private static Instant usual(String text) {
        int end = text.endsWith("Z") ? text.length() - 1 : text.length();
        if (end < 19 || end == 20 || end > 29 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' && text.charAt(10) != ' ' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || end > 19 && text.charAt(19) != '.') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = end > 19 ? digits(text, 20, end) : 0;
        if ((year | month | day | hour | minute | second | fraction) < 0) {
            return null;
        }
        int nano = fraction * (int) Math.pow(10, 9 - Math.max(0, end - 20));
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nano).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The ASCII digits from {@code from} to {@code to} as a number, -1 when any of them is not one. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
