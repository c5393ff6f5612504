package io.botsync.sync;

import io.botsync.model.IdRange;
import io.botsync.warehouse.PageWrite.ScanStep;
import java.time.Instant;
import java.util.List;

/**
 * A page's place in its run, carried by the page through the route: its number (1, 2, ...), the cursor to commit
 * with its rows, its part in a full scan (with the platform ids the scan saw in it), and, once {@code botsync:warehouse} is done with it, whether it committed.
 * The source reads that last fact when the page's exchange completes: a page that completed uncommitted was dropped
 * or failed on its way, and its run stops there.
 */
final class PageTicket {

    private final RunTracker run;
    private final int number;
    private final String cursor;
    private final ScanStep scan;
    private final List<String> seenIds;
    private final IdRange range;
    private final Instant fetchedAt;
    private final boolean last;
    private volatile boolean committed;

    PageTicket(RunTracker run, int number, String cursor, ScanStep scan, List<String> seenIds, IdRange range,
               Instant fetchedAt, boolean last) {
        this.run = run;
        this.number = number;
        this.cursor = cursor;
        this.scan = scan;
        this.seenIds = seenIds;
        this.range = range;
        this.fetchedAt = fetchedAt;
        this.last = last;
    }

    RunTracker run() {
        return run;
    }

    int number() {
        return number;
    }

    String cursor() {
        return cursor;
    }

    ScanStep scan() {
        return scan;
    }

    /** The platform's ids of the page's records when a full scan counts them seen, else none. */
    List<String> seenIds() {
        return seenIds;
    }

    /** The id range the page covers when a full scan counts ids seen and the platform paged in id order, else null. */
    IdRange range() {
        return range;
    }

    Instant fetchedAt() {
        return fetchedAt;
    }

    boolean last() {
        return last;
    }

    boolean committed() {
        return committed;
    }

    void markCommitted() {
        committed = true;
    }

    @Override
    public String toString() {
        return "page " + number + " of " + run;
    }
}
