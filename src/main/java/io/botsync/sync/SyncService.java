package io.botsync.sync;

import io.botsync.mapping.Mapping;
import io.botsync.mapping.MappingException;
import io.botsync.mapping.Mappings;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceException;
import io.botsync.warehouse.PageCounts;
import io.botsync.warehouse.PageWrite;
import io.botsync.warehouse.PageWrite.ScanStep;
import io.botsync.warehouse.Warehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final int queuePages;
    private final Duration progressInterval;
    private final PageMapper mapper = new PageMapper();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final MassDeleteGate massDeleteGate;

    public SyncService(CamelContext camel, Warehouse warehouse, Sources sources, Mappings mappings, int queuePages,
                       Duration progressInterval) throws Exception {
        this.template = camel.createProducerTemplate();
        this.warehouse = warehouse;
        this.sources = sources;
        this.mappings = mappings;
        this.queuePages = queuePages;
        this.progressInterval = progressInterval;
        this.massDeleteGate = new MassDeleteGate(key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null));
        camel.addRoutes(new PageWriterRoutes(sources.configured().stream().map(Source::name).toList(), warehouse, queuePages));
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
        return sync(sourceName, full, false);
    }

    /**
     * Syncs one source; another process syncing it already makes this one a skip, not a wait.
     *
     * @param allowMassDelete lifts the mass-delete gate for this run ({@code --allow-mass-delete})
     */
    public RunResult sync(String sourceName, boolean full, boolean allowMassDelete) {
        Source source = sources.require(sourceName);
        Mapping mapping;
        try {
            mapping = mappings.forPlatform(source.platform().name());
        } catch (MappingException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        if (!running.add(sourceName)) {
            LOG.info("{}: a sync is still running; this one is skipped", sourceName);
            return new RunResult(sourceName, RunResult.Status.SKIPPED, full ? "full" : "incremental", PageCounts.ZERO,
                    Duration.ZERO, "a sync of this source is still running");
        }
        try (SingleFlight flight = SingleFlight.take(warehouse, sourceName)) {
            if (!flight.held()) {
                return flight.skipped(full ? "full" : "incremental");
            }
            return pass(source, mapping, full, allowMassDelete ? null : massDeleteGate.maxShare(source));
        } finally {
            running.remove(sourceName);
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

    private RunResult pass(Source source, Mapping mapping, boolean full, Double maxDeleteShare) {
        String name = source.name();
        long started = System.nanoTime();
        Pass pass;
        try {
            pass = source.platform()
                    .reader(source.config(), new PlatformHttp(template, name))
                    .open(warehouse.cursor(name).orElse(null), full);
        } catch (SourceException e) {
            return failedBeforeStart(name, full ? "full" : "incremental", e.getMessage(), started);
        }
        String mode = pass.fullScan() ? "full" : "incremental";
        long runId = warehouse.beginRun(name, mode, maxDeleteShare);
        if (pass.fullScan() && !pass.resumesScan()) {
            warehouse.resetScan(name);
        }
        LOG.info("{}: {} sync started (run {})", name, mode, runId);
        RunTracker run = new RunTracker();
        Progress progress = new Progress(name, progressInterval);
        String failure = null;
        try {
            Page page;
            do {
                page = pass.next();
                PageMapper.Mapped mapped = mapper.map(name, mapping, page.records());
                ScanStep scan = !pass.fullScan() ? ScanStep.NONE : page.last() ? ScanStep.COMPLETES : ScanStep.SEEN;
                run.pageQueued();
                template.sendBody(PageWriterRoutes.endpoint(name, queuePages), new PageWriterRoutes.PageJob(run,
                        new PageWrite(runId, name, page.records().size(), mapped.users(), mapped.rejections(), page.cursor(), scan)));
                progress.add(page.records().size());
            } while (!page.last() && run.writeFailure() == null);
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
        warehouse.finishRun(runId, failure == null, failure);
        return logged(new RunResult(name, failure == null ? RunResult.Status.SUCCEEDED : RunResult.Status.FAILED, mode,
                counts, Duration.ofNanos(System.nanoTime() - started), failure));
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
