package io.botsync.observe;

import io.botsync.sync.Schedule;
import io.botsync.warehouse.RunHistory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How a source stands against its schedule. Counted from the end of its last succeeded run (from the start of its first
 * run while none has succeeded): the firing after that is when the next success was due, and each firing after that one
 * is one interval overdue. With a run every 15 minutes and a success that ended at 10:01, it is on time until 10:30 (the
 * 10:15 run has its whole interval to finish), late from 10:30, failing from 10:45. It is failing at once when its last
 * {@code botsync.health.failed-runs} runs failed.
 *
 * @param since when the state began to hold (for late and failing), else null
 */
public record Freshness(State state, String why, Instant since) {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** A time as the page and the alerts show it: to the second, UTC. */
    public static String shown(Instant instant) {
        return instant == null ? "-" : SHOWN.format(instant);
    }

    public enum State {
        ON_TIME("on time"), LATE("late"), FAILING("failing"), WAITING("no run yet"), UNSCHEDULED("not scheduled");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The CSS class and the word a test or a script can look for. */
        public String css() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param schedule   the source's, or null when it is not scheduled (only the failed runs count then)
     * @param failedRuns how many failed runs in a row make it failing
     */
    public static Freshness of(RunHistory.Standing standing, Schedule schedule, int failedRuns, Instant now) {
        if (standing.failedInARow() >= failedRuns) {
            RunHistory.Run last = standing.lastFinished();
            return new Freshness(State.FAILING, "its last " + standing.failedInARow() + " runs failed"
                    + (last.error() == null ? "" : ": " + last.error()), last.finishedAt());
        }
        if (schedule == null) {
            return new Freshness(State.UNSCHEDULED, "runs only when a command asks", null);
        }
        Instant from = standing.lastSuccess() != null ? standing.lastSuccess().finishedAt() : standing.firstStarted();
        if (from == null) {
            return new Freshness(State.WAITING, "its first run is due " + shown(schedule.nextAfter(now)), null);
        }
        Instant late = schedule.lateFrom(from);
        Instant failing = late == null ? null : schedule.nextAfter(late);
        String success = standing.lastSuccess() == null ? "no run has succeeded yet" : "no success since " + shown(from);
        if (failing != null && !now.isBefore(failing)) {
            return new Freshness(State.FAILING, success + " (more than two intervals)", failing);
        }
        if (late != null && !now.isBefore(late)) {
            return new Freshness(State.LATE, success + " (more than one interval)", late);
        }
        return new Freshness(State.ON_TIME, standing.lastSuccess() == null ? success : "last success " + shown(from), null);
    }
}
