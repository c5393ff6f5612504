package io.botsync.sync;

import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.warehouse.RawPages;
import io.botsync.warehouse.RawPages.Landed;
import java.util.List;
import java.util.Optional;

/**
 * Landed pages read back as a pass, in the order they were landed, one page in memory at a time. It never calls
 * the platform; the pages then go through the same mapping and writer as a live sync. An empty page ends it.
 */
final class ReplayPass implements Pass {

    private final RawPages rawPages;
    private final RawPages.Selection selection;
    private long position;

    ReplayPass(RawPages rawPages, RawPages.Selection selection) {
        this.rawPages = rawPages;
        this.selection = selection;
    }

    @Override
    public Page next() {
        Optional<Landed> landed = rawPages.next(selection, position);
        if (landed.isEmpty()) {
            return new Page(List.of(), null, true, "replay: end of the landed pages");
        }
        position = landed.get().id();
        return new Page(landed.get().page().decode(), null, false,
                "replay of raw_page " + position + " (run " + landed.get().runId() + "): " + landed.get().page().request());
    }

    @Override
    public boolean fullScan() {
        return false;
    }
}
