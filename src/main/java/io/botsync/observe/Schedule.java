package io.botsync.observe;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.quartz.CronExpression;

/**
 * When a source's runs are due: its Quartz cron (as the route's {@code scheduler.cron} says, in the scheduler's time
 * zone), or a fixed delay for a route scheduled without Quartz.
 */
public final class Schedule {

    private final CronExpression cron;
    private final Duration delay;
    private final String text;

    private Schedule(CronExpression cron, Duration delay, String text) {
        this.cron = cron;
        this.delay = delay;
        this.text = text;
    }

    /** The schedule a consumer fires on. */
    public static Optional<Schedule> of(ScheduledPollConsumer consumer) {
        if (consumer.getScheduler() instanceof QuartzScheduledPollConsumerScheduler quartz && quartz.getCron() != null) {
            return cron(quartz.getCron(), quartz.getTimeZone());
        }
        if (consumer.getDelay() > 0) {
            Duration every = Duration.ofMillis(consumer.getTimeUnit().toMillis(consumer.getDelay()));
            return Optional.of(new Schedule(null, every, "every " + every.toString().substring(2).toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }

    /** A Quartz cron; empty when it is not one (the route could not have started with it). */
    public static Optional<Schedule> cron(String expression, TimeZone zone) {
        try {
            CronExpression cron = new CronExpression(expression);
            cron.setTimeZone(zone == null ? TimeZone.getDefault() : zone);
            return Optional.of(new Schedule(cron, null, expression));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** The first firing after {@code after}; null when the cron fires no more (a year long gone). */
    public Instant next(Instant after) {
        if (delay != null) {
            return after.plus(delay);
        }
        Date next = cron.getNextValidTimeAfter(Date.from(after));
        return next == null ? null : next.toInstant();
    }

    @Override
    public String toString() {
        return text;
    }
}
