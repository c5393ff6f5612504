package io.botsync.service;

import io.botsync.push.PushResult;
import io.botsync.sync.RunResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code /observe/health}: DOWN while a source has failed its last N runs in a row, or a push target its last N rounds
 * ({@code botsync.health.failed-runs}); a succeeded run or round brings it back UP. Skipped ones change nothing.
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
            case SUCCEEDED -> succeeded(result.source());
            case FAILED -> failed(result.source(), result.error());
            case SKIPPED -> { }
        }
    }

    /** A push round, under the name {@code push <target>}. */
    void record(PushResult result) {
        switch (result.status()) {
            case SUCCEEDED -> succeeded("push " + result.target());
            case FAILED -> failed("push " + result.target(), result.error());
            case SKIPPED -> { }
        }
    }

    private void succeeded(String name) {
        failuresInARow.put(name, 0);
        lastError.remove(name);
    }

    private void failed(String name, String error) {
        failuresInARow.merge(name, 1, Integer::sum);
        lastError.put(name, error == null ? "failed" : error);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        failuresInARow.forEach((name, failures) -> {
            builder.detail(name.replace(' ', '.') + ".failed-in-a-row", failures);
            if (failures >= failedRuns) {
                builder.down();
                builder.message(name + " failed its last " + failures + (name.startsWith("push ") ? " rounds: " : " runs: ")
                        + lastError.get(name));
            }
        });
    }
}
