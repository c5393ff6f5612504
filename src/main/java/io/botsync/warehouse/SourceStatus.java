package io.botsync.warehouse;

import java.time.Instant;

/** What {@code botsync status} shows of one source: its last run, its counts, its cursor. */
public record SourceStatus(String source, long runId, String mode, String status, Instant startedAt, Instant finishedAt,
                           PageCounts counts, String error, String cursor, long users, long deletedUsers) {
}
