package io.botsync.sync;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress line every few seconds on a long sync: the users so far, the rate of the last interval (not the average
 * since the start, which the JVM's warm-up and a slow first page hold down for the whole run), and, when the platform
 * says how many users the pass reads, how far it is and about how long is left at that rate:
 * {@code instabot: 41200 users so far, 8215 users/s in the last 5.0 s; 41% of about 100500, about 7 s left}.
 */
final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final String source;
    private final long intervalNanos;
    private long lastReport = System.nanoTime();
    private long usersAtLastReport;
    private long users;

    Progress(String source, Duration interval) {
        this.source = source;
        this.intervalNanos = interval.toNanos();
    }

    /** @param expected about how many records the whole pass returns, or null when the platform does not say */
    void add(int fetched, Long expected) {
        users += fetched;
        long now = System.nanoTime();
        if (now - lastReport >= intervalNanos) {
            double seconds = (now - lastReport) / 1e9;
            double rate = (users - usersAtLastReport) / seconds;
            lastReport = now;
            usersAtLastReport = users;
            LOG.info(line(rate, seconds, expected));
        }
    }

    private String line(double rate, double seconds, Long expected) {
        String line = String.format(Locale.ROOT, "%s: %d users so far, %d users/s in the last %.1f s", source, users,
                Math.round(rate), seconds);
        if (expected == null || users >= expected) { // a count that was low says nothing more
            return line;
        }
        String left = rate < 1 ? "" : ", about " + duration(Math.round((expected - users) / rate)) + " left";
        return line + "; " + users * 100 / expected + "% of about " + expected + left;
    }

    private static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
