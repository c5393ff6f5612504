package io.botsync.push;

import io.botsync.source.SourceConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one target is pushed to, from {@code botsync.push.<target>.*}.
 *
 * @param batchSize   changes per delivery (a webhook gets a JSON array when above 1; platforms take one user a call)
 * @param maxAttempts deliveries of one batch before a refusal parks it or an outage ends the round
 * @param backoff     the wait after the first failed attempt, doubled after each further one up to {@code maxBackoff}
 * @param sources     the sources whose users go to this target; empty: every source
 */
record PushSettings(String target, int batchSize, int maxAttempts, Duration backoff, Duration maxBackoff, Set<String> sources) {

    static PushSettings from(String target, SourceConfig config, int maxBatchSize) {
        int batchSize = Math.min(maxBatchSize, atLeastOne(config, "batch-size", 1));
        int maxAttempts = atLeastOne(config, "max-attempts", 5);
        Set<String> sources = Arrays.stream(config.get("sources", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new PushSettings(target, batchSize, maxAttempts, config.getDuration("backoff", Duration.ofSeconds(1)),
                config.getDuration("max-backoff", Duration.ofMinutes(1)), sources);
    }

    boolean takesSource(String source) {
        return sources.isEmpty() || sources.contains(source);
    }

    /** The wait after failed attempt number {@code attempt} (1, 2, ...). */
    Duration backoffAfter(int attempt) {
        Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    private static int atLeastOne(SourceConfig config, String suffix, int defaultValue) {
        int value = config.getInt(suffix, defaultValue);
        if (value < 1) {
            throw new IllegalArgumentException(config.key(suffix) + " is " + value + "; it must be at least 1");
        }
        return value;
    }
}
