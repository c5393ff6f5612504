package io.botsync.source.instabot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Timestamps;
import io.botsync.source.Concurrency;
import io.botsync.source.MaxPages;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * One pass, as a sequence of reads (each a {@link SkipPager} over one endpoint):
 * <ul>
 *   <li>incremental: {@code /v1/users/lastUpdated?since=<cursor - lookback>};</li>
 *   <li>full ({@code --full}, or a first run with no cursor): {@code /v1/users?type=all}, then a catch-up
 *       {@code lastUpdated} read since the scan began (minus the lookback). The catch-up returns every user that
 *       changed while the scan ran, whatever place the change moved it to in the list's unknown order, so a
 *       user is never marked deleted only because it moved behind the scan.</li>
 * </ul>
 * Every page but the pass's last carries the cursor the pass started from (see {@link InstabotCursor}).
 */
final class InstabotPass implements Pass {

    private final InstabotCursor start;
    private final boolean full;
    private final Instant began;
    private final MaxPages maxPages;
    private int pages;
    private final Deque<Supplier<SkipPager>> reads = new ArrayDeque<>();
    private SkipPager current;
    private Instant greatest;
    /** Records the pass's completed reads returned, and the current read so far: for the progress lines' total. */
    private long returnedByEarlierReads;
    private long returnedInRead;

    /** @param concurrency this pass's own: a 429 lowers it for the rest of the pass, both reads included */
    InstabotPass(InstabotReader reader, InstabotCursor start, boolean full, Instant began, Concurrency concurrency) {
        this.start = start;
        this.full = full;
        this.began = began;
        this.maxPages = reader.maxPages();
        if (full) {
            reads.add(() -> reader.pager(InstabotRequests.LIST, null, concurrency));
            reads.add(() -> reader.pager(InstabotRequests.LAST_UPDATED, InstabotCursor.since(began, reader.lookback()), concurrency));
        } else {
            reads.add(() -> reader.pager(InstabotRequests.LAST_UPDATED,
                    InstabotCursor.since(start.lastUpdateDate(), reader.lookback()), concurrency));
        }
    }

    @Override
    public Page next() {
        maxPages.check(++pages);
        if (current == null) {
            current = reads.remove().get();
        }
        SkipPager.Step step = current.next();
        step.records().forEach(this::noteUpdateDate);
        long expected = step.expectedRecords() < 0 ? -1 : returnedByEarlierReads + step.expectedRecords();
        returnedInRead += step.records().size();
        boolean last = step.complete() && reads.isEmpty();
        if (step.complete()) {
            current = null;
            returnedByEarlierReads += returnedInRead;
            returnedInRead = 0;
        }
        InstabotCursor cursor = last ? InstabotCursor.after(start, greatest, began) : start;
        return new Page(step.records(), step.ids(), cursor == null ? null : cursor.toJson(), last, step.request())
                .expecting(expected);
    }

    @Override
    public boolean fullScan() {
        return full;
    }

    private void noteUpdateDate(ObjectNode user) {
        String text = user.path("updateDate").asText("");
        if (text.isEmpty()) {
            return;
        }
        try {
            Instant updated = Timestamps.parse(text);
            if (greatest == null || updated.isAfter(greatest)) {
                greatest = updated;
            }
        } catch (IllegalArgumentException unreadable) {
            // The mapping rejects this record with its reason; it must not move the cursor either way.
        }
    }
}
