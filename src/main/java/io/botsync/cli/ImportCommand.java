package io.botsync.cli;

import io.botsync.sync.RunResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Load an export into a source: StepChat csv-users CSV, a JSON array or NDJSON "
        + "of the platform's user objects. Bad lines go to rejected_record; the same file again writes nothing.")
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "the source the users belong to, e.g. stepchat")
    String source;

    @Parameters(paramLabel = "FILE", description = "the file: .csv (StepChat), .json (array), .ndjson or .jsonl")
    Path file;

    @Option(names = "--dry-run", description = "print the inserts, updates and deletes it would make; write nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        try (Application app = Application.start(Map.of(), dryRun ? Application.Mode.READ_ONLY : Application.Mode.COMMAND)) {
            RunResult result = app.batch()
                    .importFile(source, file, DryRunOutput.printer(dryRun, source));
            System.out.println(result.summary());
            return result.ok() ? Botsync.OK : Botsync.SOURCE_FAILED;
        }
    }
}
