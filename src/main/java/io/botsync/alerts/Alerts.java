package io.botsync.alerts;

import io.botsync.observe.Freshness;
import io.botsync.observe.SourceFreshness;
import io.botsync.observe.TargetRounds;
import io.botsync.push.PushResult;
import io.botsync.push.TargetState;
import io.botsync.sync.RunResult;
import io.botsync.warehouse.RunHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides when to alert: once per change of state, never once per run. A source is ok, late or failing (its
 * {@link Freshness}), looked at after each of its runs and every {@code botsync.alerts.interval}; a succeeded run rejects
 * too much or not, and fetches far fewer users than its recent runs or not; a push target fails its rounds or not, and
 * has a change waiting longer than {@code botsync.alerts.push-late} or not (looked at with the sources' freshness). Each
 * change of one of these is one message: a source failing ten runs in a row is one message, and its recovery another.
 *
 * <p>Where the sources stand is read from the warehouse at start-up, without a message, so a restart does not alert
 * again what was alerted before it (nor what changed while botsync was stopped); so is which targets are late. Push
 * rounds are kept nowhere, so no target starts as failing.
 */
public final class Alerts {

    /** Succeeded runs a volume is compared with, and the fewest that make a comparison. */
    private static final int VOLUME_RUNS = 10;
    private static final int LEAST_VOLUME_RUNS = 3;

    private enum Level { OK, LATE, FAILING }

    private final SourceFreshness freshness;
    private final RunHistory history;
    private final AlertSettings settings;
    private final Map<String, Level> sources = new HashMap<>();
    private final Map<String, Boolean> rejecting = new HashMap<>();
    private final Map<String, Boolean> dropped = new HashMap<>();
    private final TargetRounds rounds;
    private final Set<String> failingTargets = new HashSet<>();
    private final Supplier<List<TargetState>> targets;
    private final Set<String> lateTargets = new HashSet<>();

    /** @param targets the push targets' positions and waiting changes, read from the warehouse */
    public Alerts(SourceFreshness freshness, RunHistory history, TargetRounds rounds, Supplier<List<TargetState>> targets,
                  AlertSettings settings) {
        this.freshness = freshness;
        this.history = history;
        this.rounds = rounds;
        this.targets = targets;
        this.settings = settings;
    }

    /** Reads where every source stands now, without a message. */
    public synchronized void start(Instant now) {
        freshness.all(now).forEach((source, fresh) -> {
            sources.put(source, level(fresh));
            history.latestSucceeded(source, 1).forEach(run -> {
                rejecting.put(source, rejectedShare(run) > settings.rejectedShare() && settings.rejectedShare() > 0);
                dropped.put(source, volumeDrop(run) != null);
            });
        });
        targets.get().stream().filter(target -> late(target, now)).forEach(target -> lateTargets.add(target.target()));
    }

    /** After a run: the source's freshness, and the rejected share and volume of a succeeded run. */
    public synchronized List<Alert> runFinished(RunResult result) {
        List<Alert> alerts = new ArrayList<>();
        if (result.status() == RunResult.Status.SKIPPED) {
            return alerts;
        }
        String source = result.source();
        changed(source, freshness.of(source, Instant.now())).ifPresent(alerts::add);
        if (result.status() == RunResult.Status.SUCCEEDED) {
            for (RunHistory.Run run : history.latestSucceeded(source, 1)) {
                rejected(source, run).ifPresent(alerts::add);
                volume(source, run).ifPresent(alerts::add);
            }
        }
        return alerts;
    }

    /**
     * Every source's freshness now, and every push target's waiting changes: a source turns late and failing with time,
     * without a run, and a target late while its changes wait.
     */
    public synchronized List<Alert> check(Instant now) {
        List<Alert> alerts = new ArrayList<>();
        freshness.all(now).forEach((source, fresh) -> changed(source, fresh).ifPresent(alerts::add));
        for (TargetState target : targets.get()) {
            boolean late = late(target, now);
            if (late && lateTargets.add(target.target())) {
                alerts.add(new Alert("push target " + target.target(), "is late: " + target.backlog() + " changes wait, the"
                        + " oldest since " + target.oldestWaiting() + " (more than botsync.alerts.push-late, "
                        + settings.pushLate().toString().substring(2).toLowerCase(Locale.ROOT) + "); its position "
                        + target.position() + " last moved " + target.updatedAt()));
            } else if (!late && lateTargets.remove(target.target())) {
                alerts.add(new Alert("push target " + target.target(), "caught up: position " + target.position()
                        + ", " + target.backlog() + " changes wait"));
            }
        }
        return alerts;
    }

    private boolean late(TargetState target, Instant now) {
        return !settings.pushLate().isZero() && target.oldestWaiting() != null
                && target.oldestWaiting().plus(settings.pushLate()).isBefore(now);
    }

    /**
     * After a push round (counted in {@link TargetRounds} first): a target failing its last
     * {@code botsync.health.failed-runs} rounds, and its recovery.
     */
    public synchronized Optional<Alert> roundFinished(PushResult round) {
        String subject = "push target " + round.target();
        int failures = rounds.of(round.target()).map(TargetRounds.Tally::failedInARow).orElse(0);
        if (round.status() == PushResult.Status.FAILED && failures >= freshness.failedRuns() && failingTargets.add(round.target())) {
            return Optional.of(new Alert(subject, "is failing: its last " + failures + " rounds failed: " + round.error()));
        }
        if (round.status() == PushResult.Status.SUCCEEDED && failingTargets.remove(round.target())) {
            return Optional.of(new Alert(subject, "recovered: a round succeeded (position " + round.position() + ")"));
        }
        return Optional.empty();
    }

    private Optional<Alert> changed(String source, Freshness fresh) {
        Level now = level(fresh);
        Level before = sources.put(source, now);
        if (before == null || before == now) {
            return Optional.empty();
        }
        String text = switch (now) {
            case OK -> "recovered: " + fresh.why();
            case LATE -> "is late: " + fresh.why();
            case FAILING -> "is failing: " + fresh.why();
        };
        return Optional.of(new Alert(source, text));
    }

    private Optional<Alert> rejected(String source, RunHistory.Run run) {
        if (settings.rejectedShare() <= 0) {
            return Optional.empty();
        }
        double share = rejectedShare(run);
        boolean now = share > settings.rejectedShare();
        if (now == rejecting.getOrDefault(source, false)) {
            return Optional.empty();
        }
        rejecting.put(source, now);
        String counts = percent(share) + " of the " + run.counts().fetched() + " records run " + run.id() + " fetched ("
                + run.counts().rejected() + ")";
        return Optional.of(new Alert(source, now ? "rejected " + counts + ", more than " + percent(settings.rejectedShare())
                : "rejects less again: " + counts + ", threshold " + percent(settings.rejectedShare())));
    }

    private Optional<Alert> volume(String source, RunHistory.Run run) {
        String drop = volumeDrop(run);
        boolean now = drop != null;
        if (settings.volumeDrop() <= 0 || now == dropped.getOrDefault(source, false)) {
            return Optional.empty();
        }
        dropped.put(source, now);
        return Optional.of(new Alert(source, now ? drop : "fetches as many users as before again: " + run.counts().fetched()
                + " in run " + run.id()));
    }

    private static double rejectedShare(RunHistory.Run run) {
        return run.counts().fetched() == 0 ? 0 : (double) run.counts().rejected() / run.counts().fetched();
    }

    /** What the drop is, when the run fetched less than the share of the median of its mode's recent succeeded runs. */
    private String volumeDrop(RunHistory.Run run) {
        if (settings.volumeDrop() <= 0) {
            return null;
        }
        List<Long> before = history.succeededBefore(run.source(), run.mode(), run.id(), VOLUME_RUNS).stream()
                .map(r -> r.counts().fetched()).sorted().toList();
        if (before.size() < LEAST_VOLUME_RUNS) {
            return null;
        }
        int middle = before.size() / 2;
        double median = before.size() % 2 == 1 ? before.get(middle) : (before.get(middle - 1) + before.get(middle)) / 2.0;
        if (run.counts().fetched() >= settings.volumeDrop() * median) {
            return null;
        }
        return "fetched " + run.counts().fetched() + " users in run " + run.id() + ", less than "
                + percent(settings.volumeDrop()) + " of the median of its last " + before.size() + " succeeded " + run.mode()
                + " runs (" + String.format(Locale.ROOT, "%.0f", median) + ")";
    }

    private static Level level(Freshness fresh) {
        return switch (fresh.state()) {
            case LATE -> Level.LATE;
            case FAILING -> Level.FAILING;
            case ON_TIME, WAITING, UNSCHEDULED -> Level.OK;
        };
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
