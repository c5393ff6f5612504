package io.botsync.service;

import io.botsync.push.PushResult;
import io.botsync.push.PushService;
import io.botsync.push.TargetState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The per-target meters of {@code /observe/metrics}: changes delivered, parked and passed over, rounds by outcome,
 * the backlog (changes after the target's position) and the changes parked now, both read from the warehouse when
 * scraped, and the time of the last delivery.
 */
final class PushMetrics {

    private final MeterRegistry registry;
    private final PushService push;
    private final Map<String, AtomicLong> lastDelivery = new ConcurrentHashMap<>();

    PushMetrics(MeterRegistry registry, PushService push) {
        this.registry = registry;
        this.push = push;
    }

    /** Makes a target's meters visible, at zero, before its first round. */
    void register(String target) {
        changes("delivered", target);
        changes("parked", target);
        changes("passed.over", target);
        lastDelivery(target);
        state(target, "botsync.push.backlog", TargetState::backlog, "changes after the target's position");
        state(target, "botsync.push.parked", TargetState::parked, "changes parked now, until push --retry-parked sends them again");
    }

    private void state(String target, String name, ToLongFunction<TargetState> value, String description) {
        Gauge.builder(name, () -> push.states().stream().filter(s -> s.target().equals(target)).mapToLong(value)
                .findFirst().orElse(0)).description(description).tags("target", target).register(registry);
    }

    void record(PushResult result) {
        String target = result.target();
        Counter.builder("botsync.push.rounds").description("push rounds by outcome").tags("target", target, "status",
                result.status().name().toLowerCase(Locale.ROOT)).register(registry).increment();
        changes("delivered", target).increment(result.delivered());
        changes("parked", target).increment(result.parked());
        changes("passed.over", target).increment(result.passedOver());
        if (result.delivered() > 0) {
            lastDelivery(target).set(System.currentTimeMillis());
        }
    }

    private Counter changes(String what, String target) {
        return Counter.builder("botsync.push.changes." + what).description("changes " + what.replace('.', ' ') + " by push rounds")
                .tags("target", target).register(registry);
    }

    private AtomicLong lastDelivery(String target) {
        return lastDelivery.computeIfAbsent(target, t -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("botsync.push.last.delivery", millis, m -> m.get() / 1000.0)
                    .description("when the target last took a change (Unix time; 0 before the first)").baseUnit("seconds")
                    .tags("target", t).register(registry);
            return millis;
        });
    }
}
