package io.botsync.source;

/**
 * One pass over a source, page by page, from the cursor it was opened with. Not thread-safe: the
 * pipeline reads a pass from one thread.
 */
public interface Pass {

    /**
     * Fetches the next page. After the page whose {@link Page#last()} is true, no more calls are made.
     *
     * @throws SourceException when the platform refuses or answers with something that is not data
     */
    Page next();

    /** True when this pass reads every user of the source, so a completed pass may mark the unseen ones deleted. */
    boolean fullScan();

    /**
     * True when this full scan continues one that an earlier run began and did not finish (the users that
     * run saw still count as seen). False for a fresh scan.
     */
    default boolean resumesScan() {
        return false;
    }
}
