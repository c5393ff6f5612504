package io.botsync.sync;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * When an account's route fires under {@code run}: a Quartz cron ({@code scheduler: quartz}, {@code scheduler.cron}),
 * or Camel's own scheduler's fixed delay. It says whether a source is late.
 */
public final class Schedule {

    private final CronExpression cron;
    private final Duration every;

    private Schedule(CronExpression cron, Duration every) {
        this.cron = cron;
        this.every = every;
    }

    /** @throws ConfigException when the cron is not one Quartz reads */
    public static Schedule cron(String expression, TimeZone zone) {
        try {
            CronExpression cron = new CronExpression(expression.trim());
            cron.setTimeZone(zone);
            return new Schedule(cron, null);
        } catch (ParseException e) {
            throw new ConfigException("'" + expression + "' is not a Quartz cron: " + e.getMessage());
        }
    }

    public static Schedule every(Duration delay) {
        return new Schedule(null, delay);
    }

    /** The first firing after {@code time}, or null when the cron never fires again. */
    public Instant nextAfter(Instant time) {
        if (cron == null) {
            return time.plus(every);
        }
        Date next = cron.getNextValidTimeAfter(Date.from(time));
        return next == null ? null : next.toInstant();
    }

    /**
     * From when a source whose last successful sync finished at {@code lastSuccess} is late: the schedule's second
     * firing after it. The first firing after a success should bring the next one; that run gets one interval (up to
     * the firing after it) to finish, so a run in progress never makes its source late. For every 15 minutes and a
     * success at 10:00:05, that is 10:30:00. Null when the schedule does not fire twice more.
     */
    public Instant lateFrom(Instant lastSuccess) {
        Instant due = nextAfter(lastSuccess);
        return due == null ? null : nextAfter(due);
    }

    @Override
    public String toString() {
        return cron != null ? cron.getCronExpression() : "every " + every.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
