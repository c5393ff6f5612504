package io.botsync.cli;

import io.botsync.warehouse.DryRun;
import java.util.function.Consumer;

/** How {@code --dry-run} tells each change it would make: {@code stepchat: would update 42}, one line each, on stdout. */
final class DryRunOutput {

    private DryRunOutput() {
    }

    /** Null when not a dry run: the commands pass it straight on. */
    static Consumer<DryRun.Change> printer(boolean dryRun, String source) {
        return dryRun ? change -> System.out.println(source + ": would " + change.action() + " " + change.externalId()) : null;
    }
}
