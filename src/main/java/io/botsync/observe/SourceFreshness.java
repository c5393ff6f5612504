package io.botsync.observe;

import io.botsync.sync.Pipeline;
import io.botsync.sync.Schedule;
import io.botsync.sync.SourceConsumer;
import io.botsync.warehouse.RunHistory;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The freshness of every source {@code run} schedules or that has runs: its schedule from its route, its runs from the
 * warehouse. What the status page shows and the alerts watch.
 */
public final class SourceFreshness {

    private final Pipeline pipeline;
    private final RunHistory history;
    private final int failedRuns;

    /** @param failedRuns {@code botsync.health.failed-runs}: that many failed runs in a row make a source failing */
    public SourceFreshness(Pipeline pipeline, RunHistory history, int failedRuns) {
        this.pipeline = pipeline;
        this.history = history;
        this.failedRuns = failedRuns;
    }

    public int failedRuns() {
        return failedRuns;
    }

    /**
     * The schedule of every source {@code run} fires, by source. Of an account's routes (e.g. every 15 minutes and a
     * weekly full scan) the one that would make it late soonest counts, as for {@code status}.
     */
    public Map<String, Schedule> schedules() {
        Instant now = Instant.now();
        Comparator<Schedule> soonerLate = Comparator.comparing(schedule -> schedule.lateFrom(now),
                Comparator.nullsLast(Comparator.naturalOrder()));
        Map<String, Schedule> schedules = new TreeMap<>();
        for (SourceConsumer consumer : pipeline.consumers()) {
            if (consumer.scheduled()) {
                consumer.schedule().ifPresent(schedule -> schedules.merge(consumer.account(), schedule,
                        (one, other) -> soonerLate.compare(one, other) <= 0 ? one : other));
            }
        }
        return schedules;
    }

    /** Every source that is scheduled or has run, by name. */
    public Map<String, Freshness> all(Instant now) {
        Map<String, Schedule> schedules = schedules();
        TreeSet<String> names = new TreeSet<>(schedules.keySet());
        names.addAll(history.sources());
        Map<String, Freshness> all = new TreeMap<>();
        for (String name : names) {
            all.put(name, Freshness.of(history.standing(name, failedRuns), schedules.get(name), failedRuns, now));
        }
        return all;
    }

    public Freshness of(String source, Instant now) {
        return Freshness.of(history.standing(source, failedRuns), schedules().get(source), failedRuns, now);
    }
}
