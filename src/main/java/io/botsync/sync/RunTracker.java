package io.botsync.sync;

import io.botsync.warehouse.PageCounts;
import java.util.concurrent.Phaser;

/**
 * What the fetching thread and the writing thread of one run share: pages still queued, the counts committed so
 * far, and the first write failure (after which the writer drops the run's later pages: their cursors would
 * otherwise jump over the page that failed).
 */
final class RunTracker {

    private final Phaser queued = new Phaser(1);
    private volatile RuntimeException writeFailure;
    private PageCounts counts = PageCounts.ZERO;

    void pageQueued() {
        queued.register();
    }

    synchronized void pageWritten(PageCounts page) {
        counts = counts.plus(page);
    }

    void writeFailed(RuntimeException e) {
        if (writeFailure == null) {
            writeFailure = e;
        }
    }

    RuntimeException writeFailure() {
        return writeFailure;
    }

    /** Called by the writer for every page it took, written or dropped. */
    void pageDone() {
        queued.arriveAndDeregister();
    }

    /** Waits until every queued page was written or dropped, then gives the run's counts. */
    PageCounts awaitWrites() {
        queued.arriveAndAwaitAdvance();
        synchronized (this) {
            return counts;
        }
    }
}
