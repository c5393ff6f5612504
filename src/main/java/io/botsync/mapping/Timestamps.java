package io.botsync.mapping;

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
     * The forms the platforms send every day, read by the JDK's ISO parsers: Instabot's {@code ...T...Z} and the
     * offset-less date-times of StepChat and Mercury. Each optional section of {@link #FLEXIBLE} copies the parse
     * state, which made it the largest cost of mapping a record (JFR); these parsers have none of that. Null for
     * anything they do not read exactly as {@link #FLEXIBLE} would (other forms, or invalid dates, which FLEXIBLE's
     * lenient resolver reads its own way), and {@link #FLEXIBLE} decides.
     */
    private static Instant usual(String text) {
        if (text.length() < 19 || text.charAt(10) != 'T' && text.charAt(10) != ' ' || text.charAt(17) == '6') {
            return null; // second 60: Instant.parse reads a leap second, FLEXIBLE refuses it
        }
        String iso = text.charAt(10) == 'T' ? text : text.substring(0, 10) + 'T' + text.substring(11);
        try {
            if (iso.charAt(iso.length() - 1) == 'Z') {
                return Instant.parse(iso);
            }
            if (iso.indexOf('+', 19) < 0 && iso.indexOf('-', 19) < 0) {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
