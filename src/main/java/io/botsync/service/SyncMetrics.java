package io.botsync.service;

import io.botsync.sync.RunResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-source meters {@code /observe/metrics} shows in Prometheus format: users fetched, written (inserted or
 * updated) and rejected, runs by status, run duration and the time of the last succeeded run.
 */
final class SyncMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Makes a source's meters visible, at zero, before its first run. */
    void register(String source) {
        users("fetched", source);
        users("written", source);
        users("rejected", source);
        lastSuccess(source);
    }

    void record(RunResult result) {
        String source = result.source();
        Counter.builder("botsync.runs").description("runs by outcome").tags("source", source, "status",
                result.status().name().toLowerCase(Locale.ROOT)).register(registry).increment();
        if (result.status() == RunResult.Status.SKIPPED) {
            return;
        }
        users("fetched", source).increment(result.counts().fetched());
        users("written", source).increment(result.counts().written());
        users("rejected", source).increment(result.counts().rejected());
        Timer.builder("botsync.run.duration").description("how long a run took").tags("source", source)
                .register(registry).record(result.duration());
        if (result.status() == RunResult.Status.SUCCEEDED) {
            lastSuccess(source).set(System.currentTimeMillis());
        }
    }

    private Counter users(String what, String source) {
        return Counter.builder("botsync.users." + what).description("users " + what + " by runs").tags("source", source)
                .register(registry);
    }

    private AtomicLong lastSuccess(String source) {
        return lastSuccess.computeIfAbsent(source, s -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("botsync.last.success", millis, m -> m.get() / 1000.0)
                    .description("when the last run succeeded (Unix time; 0 before the first)").baseUnit("seconds")
                    .tags("source", s).register(registry);
            return millis;
        });
    }
}
