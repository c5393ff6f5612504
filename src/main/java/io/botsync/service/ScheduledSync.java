package io.botsync.service;

import io.botsync.sync.RunResult;
import io.botsync.sync.SyncService;
import io.botsync.warehouse.PageCounts;
import java.time.Duration;

/**
 * What a schedule calls ({@code bean:schedule?method=sync('instabot')}): one sync of the account, then its
 * metrics and health. A trigger that fires while the account is still syncing is skipped by {@link SyncService}
 * with a log line. What the sync throws (e.g. a mapping edited into a syntax error) counts as a failed run and is
 * thrown on, for the routes' error handling to log.
 */
public final class ScheduledSync {

    private final SyncService sync;
    private final SyncMetrics metrics;
    private final SourceHealth health;

    ScheduledSync(SyncService sync, SyncMetrics metrics, SourceHealth health) {
        this.sync = sync;
        this.metrics = metrics;
        this.health = health;
    }

    public RunResult sync(String account) {
        long started = System.nanoTime();
        RunResult result;
        try {
            result = sync.sync(account);
        } catch (RuntimeException e) {
            record(new RunResult(account, RunResult.Status.FAILED, "incremental", PageCounts.ZERO,
                    Duration.ofNanos(System.nanoTime() - started), e.getMessage()));
            throw e;
        }
        record(result);
        return result;
    }

    private void record(RunResult result) {
        metrics.record(result);
        health.record(result);
    }
}
