package io.botsync.sync;

import io.botsync.imports.ImportException;
import io.botsync.imports.ImportFile;
import io.botsync.imports.ImportPass;
import io.botsync.warehouse.DryRun;
import io.botsync.warehouse.ImportedFiles;
import io.botsync.warehouse.PageCounts;
import io.botsync.warehouse.RawPages;
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
 * {@code import} (a file exported from a platform). Both are runs of the source's route like a sync (its
 * {@code botsync:source} consumer emits their pages), never move the cursor and never overwrite a newer stored user.
 */
public final class BatchRuns {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRuns.class);

    private final SyncService sync;
    private final Pipeline pipeline;
    private final ImportedFiles importedFiles;

    public BatchRuns(SyncService sync, Pipeline pipeline) {
        this.sync = sync;
        this.pipeline = pipeline;
        this.importedFiles = new ImportedFiles(pipeline.warehouse().dataSource());
    }

    /**
     * Maps the selected landed pages again and upserts what changed; a second replay writes nothing.
     *
     * @param dryRun null for a real replay; else told each change, and nothing is written
     * @throws ConfigException for an unknown source, or one no route reads
     */
    public RunResult replay(RawPages.Selection selection, Consumer<DryRun.Change> dryRun) {
        pipeline.sources().known(selection.source());
        return sync.consumer(selection.source()).run(RunRequest.replay(selection, dryRun));
    }

    /**
     * Imports a file into a source, in pages of the source's page size. Its pages are landed (so a mapping fix can
     * replay them); a file whose content was imported before is skipped.
     *
     * @param dryRun null for a real import; else told each change, and nothing is written
     * @throws ConfigException for an unknown source, or one no route reads
     */
    public RunResult importFile(String sourceName, Path path, Consumer<DryRun.Change> dryRun) {
        Source source = pipeline.sources().known(sourceName);
        SourceConsumer consumer = sync.consumer(sourceName);
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
            String why = path.getFileName() + ": its content was imported by run " + before.getAsLong()
                    + "; replay that run to map it again";
            if (dryRun == null) { // kept as a run, so the source's history shows the import asked for and why it did nothing
                why = why + "; kept as run " + pipeline.warehouse().skippedRun(sourceName, "import", why);
            }
            LOG.info("{}: import skipped: {}", sourceName, why);
            return new RunResult(sourceName, RunResult.Status.SKIPPED, "import", PageCounts.ZERO, Duration.ZERO, why);
        }
        if (file.format() == ImportFile.Format.CSV && !source.platform().importsCsv()) {
            return failed(sourceName, "a CSV import is StepChat's csv-users export; " + sourceName + " is a "
                    + source.platform().name() + " source: import a JSON array or NDJSON of its user objects", started);
        }
        RunResult imported;
        try (ImportPass pass = new ImportPass(file, source.config().pageSize(100))) {
            imported = consumer.run(RunRequest.importing(pass, dryRun));
        } catch (ImportException e) {
            return failed(sourceName, e.getMessage(), started);
        }
        if (imported.status() == RunResult.Status.SUCCEEDED && dryRun == null) {
            importedFiles.recordLastImport(sourceName, sha256, path.toAbsolutePath().toString());
        }
        return imported;
    }

    /** Whether the file's content is in the source: an import of it completed, now or before. */
    boolean imported(String sourceName, Path path) {
        try {
            return importedFiles.importedBy(sourceName, ImportFile.of(path).sha256()).isPresent();
        } catch (ImportException e) {
            return false;
        }
    }

    /**
     * The routes {@code run} adds: the import inbox (a folder per source under {@code inbox}) and the pruning of
     * landed pages older than {@code retention}, on the Quartz cron {@code pruneCron}.
     */
    public List<RoutesBuilder> serviceRoutes(Path inbox, Duration retention, String pruneCron) {
        List<String> names = pipeline.sources().all().stream().map(Source::name).toList();
        return List.of(new InboxRoutes(inbox, names, this), new RawRetentionRoutes(pipeline.rawPages(), retention, pruneCron));
    }

    private static RunResult failed(String source, String error, long started) {
        return new RunResult(source, RunResult.Status.FAILED, "import", PageCounts.ZERO,
                Duration.ofNanos(System.nanoTime() - started), source + ": " + error);
    }
}
