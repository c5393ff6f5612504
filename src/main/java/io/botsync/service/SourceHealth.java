package io.botsync.service;

import io.botsync.sync.RunResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code /observe/health}: DOWN while a source has failed its last N runs in a row
 * ({@code botsync.health.failed-runs}); a succeeded run brings it back UP. Skipped runs change nothing.
 */
final class SourceHealth extends AbstractHealthCheck {

    private final int failedRuns;
    private final Map<String, Integer> failuresInARow = new ConcurrentHashMap<>();
    private final Map<String, String> lastError = new ConcurrentHashMap<>();

    SourceHealth(int failedRuns) {
        super("botsync", "sources");
        this.failedRuns = failedRuns;
    }

    void record(RunResult result) {
        switch (result.status()) {
            case SUCCEEDED -> {
                failuresInARow.put(result.source(), 0);
                lastError.remove(result.source());
            }
            case FAILED -> {
                failuresInARow.merge(result.source(), 1, Integer::sum);
                lastError.put(result.source(), result.error() == null ? "failed" : result.error());
            }
            case SKIPPED -> { }
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        failuresInARow.forEach((source, failures) -> {
            builder.detail(source + ".failed-runs-in-a-row", failures);
            if (failures >= failedRuns) {
                builder.down();
                builder.message(source + " failed its last " + failures + " runs: " + lastError.get(source));
            }
        });
    }
}
