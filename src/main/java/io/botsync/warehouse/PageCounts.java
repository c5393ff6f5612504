package io.botsync.warehouse;

/** What one page (or a whole run, summed) did to the warehouse. */
public record PageCounts(long fetched, long inserted, long updated, long unchanged, long deleted, long rejected) {

    public static final PageCounts ZERO = new PageCounts(0, 0, 0, 0, 0, 0);

    public PageCounts plus(PageCounts other) {
        return new PageCounts(fetched + other.fetched, inserted + other.inserted, updated + other.updated,
                unchanged + other.unchanged, deleted + other.deleted, rejected + other.rejected);
    }

    public long written() {
        return inserted + updated + deleted;
    }
}
