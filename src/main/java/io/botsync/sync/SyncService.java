package io.botsync.sync;

import io.botsync.mapping.Mapping;
import io.botsync.mapping.MappingException;
import io.botsync.mapping.Mappings;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceException;
import io.botsync.warehouse.PageCounts;
import io.botsync.warehouse.PageWrite.ScanStep;
import io.botsync.warehouse.DryRun;
import io.botsync.warehouse.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of a source: read page by page from the committed cursor, map each page, and hand it to the source's
 * writer route, which commits rows and cursor together. The reading thread runs ahead of the writer by at most the
 * queue size. Bound in the Camel registry as {@code botsync}, so routes can call {@code bean:botsync?method=sync}.
 */
public final class SyncService {

    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

    private final ProducerTemplate template;
    private final Warehouse warehouse;
    private final Sources sources;
    private final Mappings mappings;
    private final Duration progressInterval;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final MassDeleteGate massDeleteGate;
    private volatile boolean stopping;

    public SyncService(CamelContext camel, Warehouse warehouse, Sources sources, Mappings mappings, int queuePages,
                       Duration progressInterval) throws Exception {
        this.template = camel.createProducerTemplate();
        this.warehouse = warehouse;
        this.sources = sources;
        this.mappings = mappings;
        this.progressInterval = progressInterval;
        this.massDeleteGate = new MassDeleteGate(key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null));
        // every known source gets a mapper and a writer: replay and import need no platform credentials
        camel.addRoutes(new PipelineRoutes(sources.all().stream().map(Source::name).toList(), warehouse, queuePages));
    }

    public Sources sources() {
        return sources;
    }

    /** An incremental pass (a full one where the source has no cursor yet). */
    public RunResult sync(String source) {
        return sync(source, false);
    }

    /**
     * Syncs one source. A second call for a source that is still syncing is skipped, not queued.
     *
     * @throws ConfigException when the source is unknown or not configured, or its mapping does not compile
     */
    public RunResult sync(String sourceName, boolean full) {
        return sync(sourceName, full, false, null);
    }

    /**
     * Syncs one source; another process syncing it already makes this one a skip, not a wait.
     *
     * @param allowMassDelete lifts the mass-delete gate for this run ({@code --allow-mass-delete})
     */
    public RunResult sync(String sourceName, boolean full, boolean allowMassDelete) {
        return sync(sourceName, full, allowMassDelete, null);
    }

    /**
     * @param dryRun null for a real sync; else each change the sync would make is told to it, and nothing is written
     */
    public RunResult sync(String sourceName, boolean full, Consumer<DryRun.Change> dryRun) {
        return sync(sourceName, full, false, dryRun);
    }

    private RunResult sync(String sourceName, boolean full, boolean allowMassDelete, Consumer<DryRun.Change> dryRun) {
        Source source = sources.require(sourceName);
        Double maxDeleteShare = allowMassDelete ? null : massDeleteGate.maxShare(source);
        return exclusively(source, full ? "full" : "incremental", dryRun == null,
                mapping -> pass(source, mapping, full, maxDeleteShare, dryRun));
    }

    /**
     * Runs {@code work} with the source's current mapping, unless a run of the source is still going on, in this
     * process or (when {@code takeLock}) in another one sharing the warehouse: then it is skipped, not queued.
     *
     * @throws ConfigException when the source's mapping does not compile
     */
    RunResult exclusively(Source source, String mode, boolean takeLock, Function<Mapping, RunResult> work) {
        String sourceName = source.name();
        Mapping mapping;
        try {
            mapping = mappings.forPlatform(source.platform().name());
        } catch (MappingException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        if (!running.add(sourceName)) {
            LOG.info("{}: a sync is still running; this one is skipped", sourceName);
            return new RunResult(sourceName, RunResult.Status.SKIPPED, mode, PageCounts.ZERO,
                    Duration.ZERO, "a sync of this source is still running");
        }
        // a dry run writes nothing, not even the lock row: it only reads, inside a transaction it rolls back
        try (SingleFlight flight = takeLock ? SingleFlight.take(warehouse, sourceName) : null) {
            if (flight != null && !flight.held()) {
                return flight.skipped(mode);
            }
            return work.apply(mapping);
        } finally {
            running.remove(sourceName);
        }
    }

    /**
     * Asks every pass in flight to stop after the page it is reading, and waits up to {@code timeout} for them to
     * commit what they read and close their runs (as failed: "stopped"). Called on shutdown, before Camel stops the
     * writer routes, so that SIGTERM never leaves a page half written and the process exits within about a page's time.
     */
    public void stop(Duration timeout) {
        stopping = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Syncs each source in turn; the failure of one does not stop the others. */
    public List<RunResult> syncAll(List<String> names, boolean full) {
        return syncAll(names, full, false);
    }

    /** As {@link #syncAll(List, boolean)}, with the mass-delete gate lifted when {@code allowMassDelete}. */
    public List<RunResult> syncAll(List<String> names, boolean full, boolean allowMassDelete) {
        List<RunResult> results = new ArrayList<>();
        for (String name : names) {
            results.add(sync(name, full, allowMassDelete));
        }
        return results;
    }

    private RunResult pass(Source source, Mapping mapping, boolean full, Double maxDeleteShare, Consumer<DryRun.Change> dryRun) {
        String name = source.name();
        long started = System.nanoTime();
        Pass pass;
        try {
            pass = source.platform()
                    .reader(source.config(), new PlatformHttp(template, name))
                    .open(warehouse.cursor(name).orElse(null), full);
        } catch (SourceException e) {
            if (dryRun != null) {
                return logged(new RunResult(name, RunResult.Status.FAILED, "dry run", PageCounts.ZERO,
                        Duration.ofNanos(System.nanoTime() - started), e.getMessage()));
            }
            return failedBeforeStart(name, full ? "full" : "incremental", e.getMessage(), started);
        }
        String mode = pass.fullScan() ? "full" : "incremental";
        return drive(name, mapping, pass, mode, Landing.LAND, maxDeleteShare, dryRun, started);
    }

    /** What a run does besides its rows: a sync lands its pages and moves the cursor; replay and import do neither. */
    enum Landing { LAND, REWRITE_AND_LAND, REWRITE }

    /**
     * Drives one run page by page: map on this thread, write on the source's writer route. The one pipeline of
     * sync, replay and import. A dry run writes into a {@link DryRun} that is listed, then rolled back, and leaves no
     * {@code sync_run} row.
     */
    RunResult drive(String name, Mapping mapping, Pass pass, String mode, Landing landing, Double maxDeleteShare,
                    Consumer<DryRun.Change> dryRun, long started) {
        try (DryRun rehearsal = dryRun == null ? null : warehouse.dryRun()) {
            return drive(name, mapping, pass, mode, landing, maxDeleteShare, rehearsal, dryRun, started);
        }
    }

    private RunResult drive(String name, Mapping mapping, Pass pass, String mode, Landing landing, Double maxDeleteShare,
                            DryRun rehearsal, Consumer<DryRun.Change> dryRun, long started) {
        long runId = rehearsal == null ? warehouse.beginRun(name, mode, maxDeleteShare) : -1;
        boolean tracksSeen = tracksSeen(name, pass, rehearsal);
        LOG.info("{}: {} {} started (run {})", name, mode, rehearsal == null ? "sync" : "dry run", runId);
        boolean rewrite = landing != Landing.LAND;
        boolean lands = landing != Landing.REWRITE && rehearsal == null;
        RunTracker run = new RunTracker(rehearsal);
        Progress progress = new Progress(name, progressInterval);
        String failure = null;
        try {
            Page page;
            do {
                page = pass.next();
                run.pageQueued();
                template.sendBody(PipelineRoutes.mapEndpoint(name), new PipelineRoutes.MapJob(run, runId,
                        name, mapping, page, Instant.now(), scan(tracksSeen, page), lands, rewrite));
                progress.add(page.records().size());
            } while (!page.last() && run.writeFailure() == null && !stopping);
            if (!page.last() && run.writeFailure() == null) {
                failure = name + ": stopped before the pass completed; the next run goes on from the last committed page";
            }
        } catch (SourceException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            LOG.debug("{}: sync failed", name, e);
            failure = name + ": unexpected error: " + e;
        }
        PageCounts counts = run.awaitWrites();
        if (failure == null && run.writeFailure() != null) {
            failure = name + ": " + run.writeFailure().getMessage();
        }
        if (rehearsal == null) {
            warehouse.finishRun(runId, failure == null, failure);
        } else {
            rehearsal.changes(name, dryRun);
            mode = mode + ", dry run: nothing written";
        }
        return logged(new RunResult(name, failure == null ? RunResult.Status.SUCCEEDED : RunResult.Status.FAILED, mode,
                counts, Duration.ofNanos(System.nanoTime() - started), failure));
    }

    /**
     * Whether the pass is a full scan that must remember the ids it sees, to flag the users it never saw as deleted
     * when it completes: not when it began while the source had no users (there is nobody to flag).
     */
    private boolean tracksSeen(String name, Pass pass, DryRun rehearsal) {
        if (!pass.fullScan()) {
            return false;
        }
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
    private RunResult failedBeforeStart(String name, String mode, String failure, long started) {
        warehouse.finishRun(warehouse.beginRun(name, mode), false, failure);
        return logged(new RunResult(name, RunResult.Status.FAILED, mode, PageCounts.ZERO,
                Duration.ofNanos(System.nanoTime() - started), failure));
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
