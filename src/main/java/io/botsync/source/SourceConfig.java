package io.botsync.source;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.util.TimeUtils;

/**
 * The configuration of one source (an account of a platform): the keys under {@code botsync.<name>.}.
 * Values come from Camel's properties, so each can be overridden by its environment variable.
 */
public final class SourceConfig {

    private final String name;
    private final String platform;
    private final Function<String, String> properties;

    /**
     * @param properties looks a full key up ({@code botsync.instabot.api-key}); null when it is not set
     */
    public SourceConfig(String name, String platform, Function<String, String> properties) {
        this.name = name;
        this.platform = platform;
        this.properties = properties;
    }

    /** The source name: the value of {@code crm_user.source} and of the keys' middle part. */
    public String name() {
        return name;
    }

    public String platform() {
        return platform;
    }

    /** The full key of a setting of this source: {@code key("api-key")} is {@code botsync.instabot.api-key}. */
    public String key(String suffix) {
        return "botsync." + name + "." + suffix;
    }

    /** A non-blank value, trimmed. */
    public Optional<String> get(String suffix) {
        String value = properties.apply(key(suffix));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String get(String suffix, String defaultValue) {
        return get(suffix).orElse(defaultValue);
    }

    /** A value the source cannot work without; the error names the key to set. */
    public String require(String suffix) {
        return get(suffix).orElseThrow(() -> new IllegalStateException(key(suffix) + " is not set"));
    }

    public int getInt(String suffix, int defaultValue) {
        return get(suffix).map(v -> parse(suffix, v, Integer::parseInt)).orElse(defaultValue);
    }

    /** A duration in Camel's notation: {@code 10m}, {@code 90s}, {@code 1h30m}, or plain milliseconds. */
    public Duration getDuration(String suffix, Duration defaultValue) {
        return get(suffix).map(v -> Duration.ofMillis(parse(suffix, v, TimeUtils::toMilliSeconds))).orElse(defaultValue);
    }

    public int pageSize(int defaultValue) {
        return getInt("page-size", defaultValue);
    }

    public Duration lookback(Duration defaultValue) {
        return getDuration("lookback", defaultValue);
    }

    private <T> T parse(String suffix, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key(suffix) + " has the value '" + value + "', which is not valid here", e);
        }
    }
}
