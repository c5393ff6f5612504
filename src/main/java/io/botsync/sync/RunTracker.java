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
 * dropped), keeps the counts committed so far, the page the warehouse must commit next, and the first failure,
 * after which the writer commits none of the run's later pages: their cursors would jump over the page that failed.
 */
final class RunTracker {

    private final String source;
    private final long runId;
    private final DryRun rehearsal;
    private final boolean lands;
    private final boolean rewrite;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final Map<String, Mapping> mappings = new ConcurrentHashMap<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private int nextToCommit = 1;
    private PageCounts counts = PageCounts.ZERO;

    /**
     * @param rehearsal null for a real run; else the rehearsal the writer writes into instead of the warehouse
     * @param lands     the run's pages are landed in {@code raw_page}
     * @param rewrite   the run replays or imports: the cursor stays, and newer stored users are kept
     */
    RunTracker(String source, long runId, DryRun rehearsal, boolean lands, boolean rewrite, int maxInFlight) {
        this.source = source;
        this.runId = runId;
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
     * A page's exchange completed. Uncommitted, it ends the run, unless the run failed already: its failure (the
     * exception the route met, handled or not), or, without one, a step between the stages dropped it.
     */
    void pageCompleted(PageTicket page, Exchange exchange) {
        try {
            if (!page.committed() && failure() == null) {
                Throwable cause = exchange.getException() != null ? exchange.getException()
                        : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                fail(source + ": " + (cause != null ? Failures.message(cause) : page + " did not reach botsync:warehouse:"
                        + " a step between the stages dropped it. The run stops before it; the next run reads it again"));
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

    /** Records the run's first failure; later ones are its consequences. */
    void fail(String message) {
        failure.compareAndSet(null, message);
    }

    String failure() {
        return failure.get();
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
