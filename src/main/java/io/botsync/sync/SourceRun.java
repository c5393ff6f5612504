package io.botsync.sync;

import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.SourceException;
import io.botsync.warehouse.DryRun;
import io.botsync.warehouse.PageCounts;
import io.botsync.warehouse.PageWrite.ScanStep;
import io.botsync.warehouse.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a source, start to end, on its consumer's thread: single flight, the {@code sync_run} row, the
 * mass-delete gate, the scan's bookkeeping, one exchange a page until the pass ends, fails or is told to stop,
 * then the wait for the pages in flight and the row closed with the counts they committed. Whatever steps ops put
 * between the stages, this holds: a page's rows and cursor commit together in {@code botsync:warehouse}, in order.
 * A dry run writes into a {@link DryRun} that is listed, then rolled back, and leaves no {@code sync_run} row.
 */
final class SourceRun {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRun.class);

    private final SourceConsumer consumer;
    private final Pipeline pipeline;
    private final Warehouse warehouse;
    private final Source source;
    private final RunRequest request;
    private final int pagesInFlight;
    private final long started = System.nanoTime();

    SourceRun(SourceConsumer consumer, Source source, RunRequest request, int pagesInFlight) {
        this.consumer = consumer;
        this.pipeline = consumer.pipeline();
        this.warehouse = pipeline.warehouse();
        this.source = source;
        this.request = request;
        this.pagesInFlight = pagesInFlight;
    }

    RunResult execute() {
        try (RunMdc mdc = RunMdc.of(source.name(), -1)) {
            return singleFlight();
        }
    }

    private RunResult singleFlight() {
        String name = source.name();
        boolean real = request.dryRun() == null;
        Double maxDeleteShare = request instanceof RunRequest.Sync sync && !sync.allowMassDelete()
                ? pipeline.massDeleteGate().maxShare(source) : null;
        if (pipeline.stopping()) {
            return new RunResult(name, RunResult.Status.SKIPPED, request.plannedMode(), PageCounts.ZERO, Duration.ZERO,
                    "botsync is stopping");
        }
        if (!pipeline.begin(name)) {
            LOG.info("{}: a sync is still running; this one is skipped", name);
            return new RunResult(name, RunResult.Status.SKIPPED, request.plannedMode(), PageCounts.ZERO, Duration.ZERO,
                    "a sync of this source is still running");
        }
        // a dry run writes nothing, not even the lock row: it only reads, inside a transaction it rolls back
        try (SingleFlight flight = real ? SingleFlight.take(warehouse, name) : null) {
            if (flight != null && !flight.held()) {
                return flight.skipped(request.plannedMode());
            }
            Pass pass;
            try {
                pass = request.open(source, pipeline.http(name), pipeline);
            } catch (SourceException e) {
                return failedBeforeStart(e.getMessage(), real);
            } catch (IllegalArgumentException e) { // a reader checks its source's settings as it is built; each names its key
                throw new ConfigException(e.getMessage() + " (set in application.properties, --config, -D or BOTSYNC_*)", e);
            }
            try (DryRun rehearsal = real ? null : warehouse.dryRun(maxDeleteShare)) {
                return begin(pass, request.mode(pass), maxDeleteShare, flight, rehearsal);
            }
        } finally {
            pipeline.end(name);
        }
    }

    /** Opens the run's row (not in a dry run); from here its lines name the run too. */
    private RunResult begin(Pass pass, String mode, Double maxDeleteShare, SingleFlight flight, DryRun rehearsal) {
        String name = source.name();
        long runId = rehearsal == null ? warehouse.beginRun(name, mode, maxDeleteShare) : -1;
        try (RunMdc mdc = RunMdc.of(name, runId)) {
            return drive(pass, mode, maxDeleteShare, flight, rehearsal, runId);
        }
    }

    private RunResult drive(Pass pass, String mode, Double maxDeleteShare, SingleFlight flight, DryRun rehearsal, long runId) {
        String name = source.name();
        boolean tracksSeen = tracksSeen(pass, rehearsal);
        LOG.info("{}: {} {} started (run {})", name, mode, rehearsal == null ? "sync" : "dry run", runId);
        RunTracker run = new RunTracker(name, runId, flight, rehearsal, request.lands() && rehearsal == null, request.rewrite(),
                pagesInFlight);
        Progress progress = new Progress(name, pipeline.progressInterval());
        String failure = null;
        try {
            Page page;
            int number = 0;
            do {
                page = pass.next();
                run.pageEmitted();
                PageTicket ticket = new PageTicket(run, ++number, page.cursor(), scan(tracksSeen, page),
                        tracksSeen ? page.ids() : List.of(), tracksSeen ? page.range() : null, Instant.now(), page.last());
                consumer.emit(new FetchedPage(page.records(), page.unreadable(), page.request(), ticket), mode);
                progress.add(page.records().size(), page.expectedRecords());
            } while (!page.last() && run.failure() == null && !pipeline.stopping());
            if (!page.last() && run.failure() == null) {
                failure = name + ": stopped before the pass completed; the next run goes on from the last committed page";
            }
        } catch (SourceException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            LOG.debug("{}: sync failed", name, e);
            failure = name + ": unexpected error: " + e;
        }
        PageCounts counts = run.awaitPages();
        if (run.failure() != null) {
            failure = run.failure(); // the first failure: a page's stops the pass, so it comes before the pass's own
        }
        if (rehearsal == null) {
            warehouse.finishRun(runId, failure == null, failure);
        } else {
            rehearsal.changes(name, request.dryRun());
            mode = mode + ", dry run: nothing written";
        }
        return logged(new RunResult(name, failure == null ? RunResult.Status.SUCCEEDED : RunResult.Status.FAILED, mode,
                counts, elapsed(), failure));
    }

    /**
     * Whether the pass is a full scan that must remember the ids it sees, to flag the users it never saw as deleted
     * when it completes: not when it began while the source had no users (there is nobody to flag).
     */
    private boolean tracksSeen(Pass pass, DryRun rehearsal) {
        if (!pass.fullScan()) {
            return false;
        }
        String name = source.name();
        boolean startedEmpty;
        if (pass.resumesScan()) {
            startedEmpty = rehearsal == null ? warehouse.scanStartedEmpty(name) : rehearsal.scanStartedEmpty(name);
        } else {
            startedEmpty = rehearsal == null ? warehouse.startScan(name) : rehearsal.startScan(name);
        }
        return !startedEmpty;
    }

    private static ScanStep scan(boolean tracksSeen, Page page) {
        return !tracksSeen ? ScanStep.NONE : page.last() ? ScanStep.COMPLETES : ScanStep.SEEN;
    }

    /** A source that refused to even begin (e.g. a cursor it cannot read) still leaves a failed run for ops to see. */
    private RunResult failedBeforeStart(String failure, boolean real) {
        String name = source.name();
        String mode = request.plannedMode();
        if (real) {
            warehouse.finishRun(warehouse.beginRun(name, mode), false, failure);
        } else {
            mode = "dry run";
        }
        return logged(new RunResult(name, RunResult.Status.FAILED, mode, PageCounts.ZERO, elapsed(), failure));
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static RunResult logged(RunResult result) {
        if (result.ok()) {
            LOG.info(result.summary());
        } else {
            LOG.warn(result.summary());
        }
        return result;
    }
}
