package io.botsync.warehouse;

import java.time.Instant;

/**
 * What {@code botsync status} shows of one source: its last run, its counts, its cursor.
 *
 * @param lastFinishedFailed whether the latest run that finished (succeeded or failed; not one still running, not a
 *                           skip) failed
 * @param lastSyncSucceeded  when the latest sync (incremental or full, not a replay or an import) that succeeded
 *                           finished; null when none did
 */
public record SourceStatus(String source, long runId, String mode, String status, Instant startedAt, Instant finishedAt,
                           PageCounts counts, String error, String cursor, long users, long deletedUsers,
                           boolean lastFinishedFailed, Instant lastSyncSucceeded) {
}
