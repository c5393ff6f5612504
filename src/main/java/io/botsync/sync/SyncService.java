package io.botsync.sync;

import io.botsync.warehouse.DryRun;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the commands ask of sources: a run of an account, through the route that reads it (its
 * {@code botsync:source} consumer, with every step ops put in it), on the calling thread. The one code path of
 * {@code sync}, {@code demo} and the schedule.
 */
public final class SyncService {

    private final Pipeline pipeline;

    public SyncService(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    public Sources sources() {
        return pipeline.sources();
    }

    /** An incremental pass (a full one where the source has no cursor yet). */
    public RunResult sync(String source) {
        return sync(source, false);
    }

    /**
     * Syncs one source. A second call for a source that is still syncing is skipped, not queued.
     *
     * @throws ConfigException when the source is unknown, not configured, or read by no route
     */
    public RunResult sync(String sourceName, boolean full) {
        return sync(sourceName, full, false);
    }

    /** @param allowMassDelete lifts the mass-delete gate for this run ({@code --allow-mass-delete}) */
    public RunResult sync(String sourceName, boolean full, boolean allowMassDelete) {
        return run(sourceName, RunRequest.sync(full, allowMassDelete, null));
    }

    /**
     * A dry run: each change the sync would make is told to {@code dryRun}, and nothing is written. A full scan meets
     * the mass-delete gate as a real one would (and fails saying so) unless {@code allowMassDelete}.
     */
    public RunResult sync(String sourceName, boolean full, boolean allowMassDelete, Consumer<DryRun.Change> dryRun) {
        return run(sourceName, RunRequest.sync(full, allowMassDelete, dryRun));
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

    private RunResult run(String sourceName, RunRequest request) {
        pipeline.sources().require(sourceName);
        return consumer(sourceName).run(request);
    }

    /**
     * The consumer of the route that reads a source, for any run (sync, replay, import).
     *
     * @throws ConfigException when no route reads it
     */
    SourceConsumer consumer(String sourceName) {
        return pipeline.consumer(sourceName).orElseThrow(() -> new ConfigException("no route reads the source "
                + sourceName + ": add a sync-account entry for it to routes/accounts.yaml (README, Routes)"));
    }
}
