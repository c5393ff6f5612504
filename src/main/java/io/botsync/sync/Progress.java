package io.botsync.sync;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A progress line every few seconds on a long sync: source, users so far, users per second. */
final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final String source;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long lastReport = start;
    private long users;

    Progress(String source, Duration interval) {
        this.source = source;
        this.intervalNanos = interval.toNanos();
    }

    void add(int fetched) {
        users += fetched;
        long now = System.nanoTime();
        if (now - lastReport >= intervalNanos) {
            lastReport = now;
            double seconds = (now - start) / 1e9;
            LOG.info("{}: {} users so far, {} users/s", source, users, Math.round(users / seconds));
        }
    }
}
