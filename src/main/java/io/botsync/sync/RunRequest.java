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
 * the warehouse.
 */
public abstract sealed class RunRequest permits RunRequest.Sync, RunRequest.Replay, RunRequest.Import {

    private final Consumer<DryRun.Change> dryRun;

    private RunRequest(Consumer<DryRun.Change> dryRun) {
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

    /** Replays and imports never move the cursor, and keep a newer stored user as it is. */
    boolean rewrite() {
        return true;
    }

    /** Whether the run's pages are landed in {@code raw_page}. */
    abstract boolean lands();

    /** The {@code sync_run.mode} of a run that read this pass. */
    abstract String mode(Pass pass);

    /** What a run reads; a sync's may throw a {@link io.botsync.source.SourceException}. */
    abstract Pass open(Source source, PlatformHttp http, Pipeline pipeline);

    /** The mode named before the pass opened, for the run that could not open it. */
    abstract String plannedMode();

    static final class Sync extends RunRequest {
        private final boolean full;
        private final boolean allowMassDelete;

        private Sync(boolean full, boolean allowMassDelete, Consumer<DryRun.Change> dryRun) {
            super(dryRun);
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

        @Override
        boolean lands() {
            return true;
        }

        @Override
        String mode(Pass pass) {
            return pass.fullScan() ? "full" : "incremental";
        }

        @Override
        String plannedMode() {
            return full ? "full" : "incremental";
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
            super(dryRun);
            this.selection = selection;
        }

        @Override
        boolean lands() {
            return false;
        }

        @Override
        String mode(Pass pass) {
            return "replay";
        }

        @Override
        String plannedMode() {
            return "replay";
        }

        @Override
        Pass open(Source source, PlatformHttp http, Pipeline pipeline) {
            return new ReplayPass(pipeline.rawPages(), selection);
        }
    }

    static final class Import extends RunRequest {
        private final ImportPass pass;

        private Import(ImportPass pass, Consumer<DryRun.Change> dryRun) {
            super(dryRun);
            this.pass = pass;
        }

        @Override
        boolean lands() {
            return true;
        }

        @Override
        String mode(Pass pass) {
            return "import";
        }

        @Override
        String plannedMode() {
            return "import";
        }

        @Override
        Pass open(Source source, PlatformHttp http, Pipeline pipeline) {
            return pass;
        }
    }
}
