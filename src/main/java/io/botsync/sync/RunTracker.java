package io.botsync.sync;

import io.botsync.mapping.Mapping;
import io.botsync.warehouse.DryRun;
import io.botsync.warehouse.PageCounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * What the threads of one run share: the source's thread that fetches and maps pages, the warehouse's writer, and
 * whatever threads ops' steps between the stages use. It bounds the pages in flight (fetched, not yet committed or
 * dropped), keeps the counts committed so far, the page the warehouse must commit next, and the first page that
 * failed, from which on the writer commits nothing: those pages' cursors would jump over it.
 */
final class RunTracker {

    private final String source;
    private final long runId;
    private final SingleFlight flight;
    private final DryRun rehearsal;
    private final boolean lands;
    private final boolean rewrite;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final Map<String, Mapping> mappings = new ConcurrentHashMap<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private int nextToCommit = 1;
    private volatile int failedAt = Integer.MAX_VALUE;
    private PageCounts counts = PageCounts.ZERO;

    /**
     * @param flight    the source's lock the run holds; null for a dry run, which takes none
     * @param rehearsal null for a real run; else the rehearsal the writer writes into instead of the warehouse
     * @param lands     the run's pages are landed in {@code raw_page}
     * @param rewrite   the run replays or imports: the cursor stays, and newer stored users are kept
     */
    RunTracker(String source, long runId, SingleFlight flight, DryRun rehearsal, boolean lands, boolean rewrite, int maxInFlight) {
        this.source = source;
        this.runId = runId;
        this.flight = flight;
        this.rehearsal = rehearsal;
        this.lands = lands;
        this.rewrite = rewrite;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    String source() {
        return source;
    }

    long runId() {
        return runId;
    }

    DryRun rehearsal() {
        return rehearsal;
    }

    /**
     * Whether the run lost its source's lock since it began: the warehouse dropped the connection holding it. Asks the
     * database (a round trip); the writer asks before each commit.
     */
    boolean lockLost() {
        return flight != null && !flight.stillHeld();
    }

    boolean lands() {
        return lands;
    }

    boolean rewrite() {
        return rewrite;
    }

    /** The mapping named, compiled once a run: an ops edit lands on the next run, never halfway through one. */
    Mapping mapping(String name, Function<String, Mapping> compile) {
        return mappings.computeIfAbsent(name, compile);
    }

    /** Waits while the run has its most pages in flight: memory stays flat however fast the platform answers. */
    void pageEmitted() {
        inFlight.acquireUninterruptibly();
    }

    /**
     * A page's exchange completed. Uncommitted, and before any page that failed already, it ends the run there: with
     * its failure (the exception the route met, handled or not), or, without one, because a step between the stages
     * dropped it. The pages before it still commit; none after it does.
     */
    void pageCompleted(PageTicket page, Exchange exchange) {
        try {
            if (!page.committed() && page.number() < failedAt()) {
                Throwable cause = exchange.getException() != null ? exchange.getException()
                        : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                fail(page.number(), source + ": " + (cause != null ? Failures.message(cause) : page
                        + " did not reach botsync:warehouse: a step between the stages dropped it. The run stops before it;"
                        + " the next run reads it again"));
            }
        } finally {
            inFlight.release();
        }
    }

    /** Waits until every page emitted has completed, then gives the counts committed. */
    PageCounts awaitPages() {
        inFlight.acquireUninterruptibly(maxInFlight);
        inFlight.release(maxInFlight);
        synchronized (this) {
            return counts;
        }
    }

    /**
     * Records that the run fails at a page: that page and every later one stay uncommitted, the pages before it still
     * commit. The first message is the run's; later failures are mostly its consequences.
     */
    synchronized void fail(int page, String message) {
        failure.compareAndSet(null, message);
        failedAt = Math.min(failedAt, page);
    }

    /** The run's failure so far, or null. */
    String failure() {
        return failure.get();
    }

    /** The first page that failed: no page from it on may commit. */
    int failedAt() {
        return failedAt;
    }

    /** Whether a page is the one the warehouse must commit next, or was committed already (0 or negative). */
    synchronized int orderOf(PageTicket page) {
        return page.number() - nextToCommit;
    }

    synchronized void committed(PageTicket page, PageCounts pageCounts) {
        counts = counts.plus(pageCounts);
        nextToCommit = page.number() + 1;
        page.markCommitted();
    }

    @Override
    public String toString() {
        return source + (runId < 0 ? " dry run" : " run " + runId);
    }
}
