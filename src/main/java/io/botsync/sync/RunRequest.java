package io.botsync.sync;

import io.botsync.imports.ImportPass;
import io.botsync.source.Pass;
import io.botsync.source.PlatformHttp;
import io.botsync.warehouse.DryRun;
import io.botsync.warehouse.RawPages;
import java.util.function.Consumer;

/**
 * What one run of a source reads: its platform (a sync, scheduled or asked for), its landed pages (a replay) or a
 * file (an import). Whatever it reads, the pages take the same route: the source's, with ops' steps, the mapping and
 * the warehouse. Replays and imports never move the cursor, keep a newer stored user as it is, and never gate deletes.
 */
public abstract sealed class RunRequest permits RunRequest.Sync, RunRequest.Replay, RunRequest.Import {

    private final String plannedMode;
    private final boolean lands;
    private final Consumer<DryRun.Change> dryRun;

    private RunRequest(String plannedMode, boolean lands, Consumer<DryRun.Change> dryRun) {
        this.plannedMode = plannedMode;
        this.lands = lands;
        this.dryRun = dryRun;
    }

    /**
     * A pass of the platform from the committed cursor.
     *
     * @param full            read every user, whatever the cursor says ({@code --full})
     * @param allowMassDelete lift the mass-delete gate for this run ({@code --allow-mass-delete})
     * @param dryRun          null for a real run; else told each change, and nothing is written
     */
    public static RunRequest sync(boolean full, boolean allowMassDelete, Consumer<DryRun.Change> dryRun) {
        return new Sync(full, allowMassDelete, dryRun);
    }

    /** Landed pages mapped again with today's mappings. */
    public static RunRequest replay(RawPages.Selection selection, Consumer<DryRun.Change> dryRun) {
        return new Replay(selection, dryRun);
    }

    /** A file's records, in pages; the caller closes the pass. */
    public static RunRequest importing(ImportPass pass, Consumer<DryRun.Change> dryRun) {
        return new Import(pass, dryRun);
    }

    /** Null for a real run; else the dry run's listener. */
    final Consumer<DryRun.Change> dryRun() {
        return dryRun;
    }

    /** Whether the run's pages are landed in {@code raw_page}. */
    final boolean lands() {
        return lands;
    }

    /** The mode named before the pass opens, for a run that could not open it. */
    final String plannedMode() {
        return plannedMode;
    }

    /** Replays and imports leave the cursor, and a newer stored user, as they are. */
    boolean rewrite() {
        return true;
    }

    /** The {@code sync_run.mode} of a run that read this pass. */
    String mode(Pass pass) {
        return plannedMode;
    }

    /** What a run reads; a sync's may throw a {@link io.botsync.source.SourceException}. */
    abstract Pass open(Source source, PlatformHttp http, Pipeline pipeline);

    static final class Sync extends RunRequest {
        private final boolean full;
        private final boolean allowMassDelete;

        private Sync(boolean full, boolean allowMassDelete, Consumer<DryRun.Change> dryRun) {
            super(full ? "full" : "incremental", true, dryRun);
            this.full = full;
            this.allowMassDelete = allowMassDelete;
        }

        boolean allowMassDelete() {
            return allowMassDelete;
        }

        @Override
        boolean rewrite() {
            return false;
        }

        /** A first run, without a cursor, is a full scan whatever was asked. */
        @Override
        String mode(Pass pass) {
            return pass.fullScan() ? "full" : "incremental";
        }

        @Override
        Pass open(Source source, PlatformHttp http, Pipeline pipeline) {
            return source.platform().reader(source.config(), http)
                    .open(pipeline.warehouse().cursor(source.name()).orElse(null), full);
        }
    }

    static final class Replay extends RunRequest {
        private final RawPages.Selection selection;

        private Replay(RawPages.Selection selection, Consumer<DryRun.Change> dryRun) {
            super("replay", false, dryRun);
            this.selection = selection;
        }

        @Override
        Pass open(Source source, PlatformHttp http, Pipeline pipeline) {
            return new ReplayPass(pipeline.rawPages(), selection);
        }
    }

    static final class Import extends RunRequest {
        private final ImportPass pass;

        private Import(ImportPass pass, Consumer<DryRun.Change> dryRun) {
            super("import", true, dryRun);
            this.pass = pass;
        }

        @Override
        Pass open(Source source, PlatformHttp http, Pipeline pipeline) {
            return pass;
        }
    }
}
