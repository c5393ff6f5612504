package io.botsync.cli;

import io.botsync.mapping.Timestamps;
import io.botsync.sync.ConfigException;
import io.botsync.sync.RunResult;
import io.botsync.warehouse.RawPages;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "replay", description = "Map landed pages again with the current mappings and upsert what changed; "
        + "never calls the platform, never moves the cursor.")
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "the source whose pages to replay")
    String source;

    @Option(names = "--run", paramLabel = "ID", description = "replay the pages landed by this sync_run")
    Long run;

    @Option(names = "--from", paramLabel = "TIME", description = "replay pages fetched at or after this time (UTC; 2024-05-01 or 2024-05-01T10:00:00Z)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "replay pages fetched before this time (UTC)")
    String to;

    @Option(names = "--dry-run", description = "print the inserts, updates and deletes it would make; write nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        if (run != null && (from != null || to != null)) {
            throw new ConfigException("replay takes --run ID or --from/--to, not both");
        }
        RawPages.Selection selection = new RawPages.Selection(source, run, time("--from", from), time("--to", to));
        try (Application app = Application.start(Map.of(), dryRun ? Application.Mode.READ_ONLY : Application.Mode.COMMAND)) {
            RunResult result = app.batch()
                    .replay(selection, DryRunOutput.printer(dryRun, source));
            System.out.println(result.summary());
            return result.ok() ? Botsync.OK : Botsync.SOURCE_FAILED;
        }
    }

    /** A day ({@code 2024-05-01}, its start) or any timestamp the platforms use; UTC unless it says otherwise. */
    private static Instant time(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC) : Timestamps.parse(text);
        } catch (RuntimeException e) {
            throw new ConfigException(option + " '" + text + "' is not a time: use 2024-05-01, 2024-05-01 10:00:00 or 2024-05-01T10:00:00Z");
        }
    }
}
