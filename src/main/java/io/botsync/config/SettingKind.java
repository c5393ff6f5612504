package io.botsync.config;

import io.botsync.mapping.Timestamps;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.camel.util.TimeUtils;
import org.quartz.CronExpression;

/**
 * What a setting's value must be, and what to tell ops when it is not. An empty value is always allowed here: it
 * means the default, or "not set", which the concern that needs the value reports itself (a source without its key
 * is not configured).
 */
public enum SettingKind {

    /** Anything: names, keys, tokens, paths, pass-through values. */
    TEXT("any text", value -> true),
    WHOLE_NUMBER("a whole number, 0 or more", value -> wholeNumber(value, 0)),
    POSITIVE_NUMBER("a whole number, 1 or more", value -> wholeNumber(value, 1)),
    /** A duration in Camel's notation, as {@link TimeUtils#toMilliSeconds} reads it. */
    DURATION("a duration such as 90s, 10m or 1h30m (or plain milliseconds)", SettingKind::duration),
    SHARE("a share between 0% and 100%, such as 20%", value -> share(value) >= 0 && share(value) <= 1),
    /** A Quartz cron expression: seconds first, and ? in one of the day fields. */
    CRON("a Quartz cron expression with seconds first, such as 0 0/15 * * * ?", CronExpression::isValidExpression),
    BOOLEAN("true or false", value -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")),
    HTTP_URL("an http:// or https:// URL", value -> url(value, "http", "https")),
    JDBC_URL("a JDBC URL such as jdbc:postgresql://host:5432/db or jdbc:h2:file:./data/botsync",
            value -> value.startsWith("jdbc:") && value.length() > "jdbc:x:".length()),
    AMQP_URL("an amqp:// or amqps:// URL", value -> url(value, "amqp", "amqps")),
    /** Where a push target starts. */
    PUSH_FROM("beginning or now", Set.of("beginning", "now")::contains),
    PUSH_ENTITY("users or contacts", Set.of("users", "contacts")::contains),
    /** An alert's body: the text, or Slack's {"text": ...}. */
    ALERT_FORMAT("plain or slack", Set.of("plain", "slack")::contains),
    /** StepChat's user types: agents and admins are staff, the rest contacts. */
    STEPCHAT_USER_TYPES("a comma-separated list of visitor, lead, user, agent, admin",
            value -> Arrays.stream(value.split(",")).map(String::strip)
                    .allMatch(Set.of("visitor", "lead", "user", "agent", "admin")::contains)),
    /** A time as the mappings read platforms' times (a date alone is its midnight, UTC). */
    TIMESTAMP("a time YYYY-MM-DD HH:MM:SS (UTC) or a date YYYY-MM-DD", value -> Timestamps.parse(value) != null),
    /** Account names: they are a key's middle part and an environment variable's too. */
    ACCOUNT_NAMES("comma-separated account names of letters, digits, - and _",
            value -> Arrays.stream(value.split(",")).map(String::strip).allMatch(Pattern.compile("[A-Za-z0-9_-]+").asMatchPredicate()));

    private static final Pattern DURATION_TEXT = Pattern.compile("\\d+|(\\d+(ms|[dhms]))+");

    private final String expected;
    private final Predicate<String> accepts;

    SettingKind(String expected, Predicate<String> accepts) {
        this.expected = expected;
        this.accepts = accepts;
    }

    /** What a value must be, for the message: "set it to ...". */
    public String expected() {
        return expected;
    }

    /** Empty when the value is fine, else what it must be. */
    Optional<String> problem(String value) {
        String text = value.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return accepts.test(text) ? Optional.empty() : Optional.of(expected);
        } catch (RuntimeException e) {
            return Optional.of(expected);
        }
    }

    private static boolean wholeNumber(String value, long least) {
        long number = Long.parseLong(value);
        return number >= least && number <= Integer.MAX_VALUE;
    }

    /** Camel reads what it does not understand ("forever") as 0 ms, so the notation is checked first. */
    private static boolean duration(String value) {
        return DURATION_TEXT.matcher(value).matches() && TimeUtils.toMilliSeconds(value) >= 0;
    }

    /** A share written {@code 20%} or {@code 0.2}, as a fraction. */
    public static double share(String value) {
        return value.endsWith("%") ? Double.parseDouble(value.substring(0, value.length() - 1).strip()) / 100
                : Double.parseDouble(value);
    }

    private static boolean url(String value, String... schemes) {
        URI uri = URI.create(value);
        return uri.getHost() != null && Set.of(schemes).contains(uri.getScheme().toLowerCase(Locale.ROOT));
    }
}
