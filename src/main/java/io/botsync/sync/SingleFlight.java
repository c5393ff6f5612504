package io.botsync.sync;

import io.botsync.warehouse.PageCounts;
import io.botsync.warehouse.SourceLock;
import io.botsync.warehouse.Warehouse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of a source at a time across every process sharing the warehouse: the source's database lock
 * ({@link Warehouse#tryLock}), held for the whole pass. A sync that finds it taken is skipped and says by whom;
 * the lock goes with its holder's connection, so a killed process never blocks the next run.
 */
final class SingleFlight implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SingleFlight.class);

    private final Warehouse warehouse;
    private final String source;
    private final Optional<SourceLock> lock;

    private SingleFlight(Warehouse warehouse, String source, Optional<SourceLock> lock) {
        this.warehouse = warehouse;
        this.source = source;
        this.lock = lock;
    }

    static SingleFlight take(Warehouse warehouse, String source) {
        return new SingleFlight(warehouse, source, warehouse.tryLock(source));
    }

    boolean held() {
        return lock.isPresent();
    }

    /** Whether the lock taken is held still: its connection to the warehouse was not lost since (see SourceLock#held). */
    boolean stillHeld() {
        return lock.map(SourceLock::held).orElse(false);
    }

    /** The result of a sync that found the source busy elsewhere: skipped, which is not a failure (exit code 0). */
    RunResult skipped(String mode) {
        String why = "another botsync process is syncing " + source
                + warehouse.runningRun(source).map(run -> " (" + run + ")").orElse("") + "; this sync is skipped";
        LOG.info("{}: {}", source, why);
        return new RunResult(source, RunResult.Status.SKIPPED, mode, PageCounts.ZERO, Duration.ZERO, why);
    }

    @Override
    public void close() {
        lock.ifPresent(SourceLock::close);
    }
}
