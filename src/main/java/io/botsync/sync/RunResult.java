package io.botsync.sync;

import io.botsync.warehouse.PageCounts;
import java.time.Duration;

/** The outcome of one pass of one source, as the summary line shows it. */
public record RunResult(String source, Status status, String mode, PageCounts counts, Duration duration, String error) {

    public enum Status { SUCCEEDED, FAILED, SKIPPED }

    public boolean ok() {
        return status != Status.FAILED;
    }

    /** {@code instabot: succeeded (incremental) fetched=... 1.2s} or the reason it failed. */
    public String summary() {
        String head = source + ": " + status.name().toLowerCase(java.util.Locale.ROOT);
        if (status == Status.SKIPPED) {
            return head + " (" + error + ")";
        }
        String line = String.format(java.util.Locale.ROOT,
                "%s (%s) fetched=%d inserted=%d updated=%d unchanged=%d deleted=%d rejected=%d in %.1fs",
                head, mode, counts.fetched(), counts.inserted(), counts.updated(), counts.unchanged(), counts.deleted(),
                counts.rejected(), duration.toMillis() / 1000.0);
        return error == null ? line : line + ": " + error;
    }
}
