package io.botsync.sync;

import io.botsync.warehouse.DryRun;
import io.botsync.warehouse.PageCounts;
import java.util.concurrent.Phaser;

/**
 * What the fetching thread and the writing thread of one run share: pages still queued, the counts committed so
 * far, and the first write failure (after which the writer drops the run's later pages: their cursors would
 * otherwise jump over the page that failed).
 */
final class RunTracker {

    private final Phaser queued = new Phaser(1);
    /** Null for a real run; else the rehearsal the writer writes into instead of the warehouse. */
    private final DryRun rehearsal;
    private volatile RuntimeException writeFailure;
    private PageCounts counts = PageCounts.ZERO;

    RunTracker(DryRun rehearsal) {
        this.rehearsal = rehearsal;
    }

    DryRun rehearsal() {
        return rehearsal;
    }

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
