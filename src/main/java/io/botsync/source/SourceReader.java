package io.botsync.source;

/** Reads one platform account. One instance per configured source; it may be used by one pass at a time. */
public interface SourceReader {

    /**
     * Begins a pass.
     *
     * @param committedCursor the cursor JSON committed by the last page written, or null on a first run
     * @param full            true for {@code sync --full}: read every user, whatever the cursor says
     */
    Pass open(String committedCursor, boolean full);
}
