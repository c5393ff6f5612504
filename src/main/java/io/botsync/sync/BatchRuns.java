package io.botsync.sync;

import io.botsync.imports.ImportException;
import io.botsync.imports.ImportFile;
import io.botsync.imports.ImportPass;
import io.botsync.warehouse.DryRun;
import io.botsync.warehouse.ImportedFiles;
import io.botsync.warehouse.PageCounts;
import io.botsync.warehouse.RawPages;
import io.botsync.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.camel.RoutesBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs that do not call the platform: {@code replay} (landed pages mapped again with today's mappings) and
 * {@code import} (a file exported from a platform). Both go through the pipeline of a sync ({@link SyncService}),
 * never move the cursor and never overwrite a newer stored user. Bound in the registry as {@code botsyncBatch}.
 */
public final class BatchRuns {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRuns.class);

    private final SyncService sync;
    private final RawPages rawPages;
    private final ImportedFiles importedFiles;

    public BatchRuns(SyncService sync, Warehouse warehouse) {
        this.sync = sync;
        this.rawPages = new RawPages(warehouse.dataSource());
        this.importedFiles = new ImportedFiles(warehouse.dataSource());
    }

    /**
     * Maps the selected landed pages again and upserts what changed; a second replay writes nothing.
     *
     * @param dryRun null for a real replay; else told each change, and nothing is written
     * @throws ConfigException for an unknown source or a mapping that does not compile
     */
    public RunResult replay(RawPages.Selection selection, Consumer<DryRun.Change> dryRun) {
        Source source = sync.sources().known(selection.source());
        return sync.exclusively(source, "replay", dryRun == null, mapping -> sync.drive(source.name(), mapping,
                new ReplayPass(rawPages, selection), "replay", SyncService.Landing.REWRITE, null, dryRun, System.nanoTime()));
    }

    /**
     * Imports a file into a source, in pages of the source's page size. Its pages are landed (so a mapping fix can
     * replay them); a file whose content was imported before is skipped.
     *
     * @param dryRun null for a real import; else told each change, and nothing is written
     * @throws ConfigException for an unknown source or a mapping that does not compile
     */
    public RunResult importFile(String sourceName, Path path, Consumer<DryRun.Change> dryRun) {
        Source source = sync.sources().known(sourceName);
        long started = System.nanoTime();
        ImportFile file;
        String sha256;
        try {
            file = ImportFile.of(path);
            sha256 = file.sha256();
        } catch (ImportException e) {
            return failed(sourceName, e.getMessage(), started);
        }
        OptionalLong before = importedFiles.importedBy(sourceName, sha256);
        if (before.isPresent()) {
            LOG.info("{}: {} was imported by run {}; nothing to do", sourceName, path, before.getAsLong());
            return new RunResult(sourceName, RunResult.Status.SKIPPED, "import", PageCounts.ZERO, Duration.ZERO,
                    "this content was imported by run " + before.getAsLong() + "; replay that run to map it again");
        }
        if (file.format() == ImportFile.Format.CSV && !source.platform().name().equals("stepchat")) {
            return failed(sourceName, "a CSV import is StepChat's csv-users export; " + sourceName + " is a "
                    + source.platform().name() + " source: import a JSON array or NDJSON of its user objects", started);
        }
        int pageSize = source.config().pageSize(100);
        return sync.exclusively(source, "import", dryRun == null, mapping -> {
            RunResult imported;
            try (ImportPass pass = new ImportPass(file, pageSize)) {
                imported = sync.drive(sourceName, mapping, pass, "import", SyncService.Landing.REWRITE_AND_LAND, null,
                        dryRun, started);
            } catch (ImportException e) {
                return failed(sourceName, e.getMessage(), started);
            }
            if (imported.status() == RunResult.Status.SUCCEEDED && dryRun == null) {
                importedFiles.recordLastImport(sourceName, sha256, path.toAbsolutePath().toString());
            }
            return imported;
        });
    }

    /**
     * The routes {@code run} adds: the import inbox (a folder per source under {@code inbox}) and the pruning of
     * landed pages older than {@code retention}, on the Quartz cron {@code pruneCron}.
     */
    public List<RoutesBuilder> serviceRoutes(Path inbox, Duration retention, String pruneCron) {
        List<String> names = sync.sources().all().stream().map(Source::name).toList();
        return List.of(new InboxRoutes(inbox, names, this), new RawRetentionRoutes(rawPages, retention, pruneCron));
    }

    private static RunResult failed(String source, String error, long started) {
        return new RunResult(source, RunResult.Status.FAILED, "import", PageCounts.ZERO,
                Duration.ofNanos(System.nanoTime() - started), source + ": " + error);
    }
}
