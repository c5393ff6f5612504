package io.botsync.cli;

import io.botsync.sync.RunResult;
import io.botsync.sync.Source;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sync", description = "One pass of each named source (default: every configured one); a summary line per source.")
final class SyncCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "sources to sync, e.g. instabot stepchat")
    List<String> names = List.of();

    @Option(names = "--full", description = "read every user, whatever the cursor says; completing it flags missing users deleted")
    boolean full;

    @Option(names = "--dry-run", description = "print the inserts, updates and deletes it would make; write nothing")
    boolean dryRun;

    @Option(names = "--allow-mass-delete", description = "let a full scan flag more users deleted than botsync.mass-delete-share allows (default 20%%)")
    boolean allowMassDelete;

    @Override
    public Integer call() {
        try (Application app = Application.start(Map.of(), dryRun ? Application.Mode.READ_ONLY : Application.Mode.COMMAND)) {
            List<String> targets = names.isEmpty()
                    ? app.sync().sources().configured().stream().map(Source::name).toList()
                    : names;
            targets.forEach(name -> app.sync().sources().require(name)); // every name checked before any sync starts
            if (targets.isEmpty()) {
                System.out.println("no source is configured: set the keys of one (see README, Configuration)");
                return Botsync.OK;
            }
            List<RunResult> results = dryRun
                    ? targets.stream().map(name -> app.sync().sync(name, full, allowMassDelete, DryRunOutput.printer(true, name))).toList()
                    : app.sync().syncAll(targets, full, allowMassDelete);
            results.forEach(r -> System.out.println(r.summary()));
            return results.stream().allMatch(RunResult::ok) ? Botsync.OK : Botsync.SOURCE_FAILED;
        }
    }
}
