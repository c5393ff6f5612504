package io.botsync.sync;

import org.slf4j.MDC;

/**
 * The MDC keys of a run's log lines, on every thread that works for it (the run's, and its source's writer): the
 * account as {@code source} and {@code sync_run.id} as {@code run}. logback.xml prints them, and its JSON encoder
 * carries them under {@code mdc}. Closing puts back what the thread had before.
 */
final class RunMdc implements AutoCloseable {

    static final String SOURCE = "source";
    static final String RUN = "run";

    private final String sourceBefore;
    private final String runBefore;

    private RunMdc(String sourceBefore, String runBefore) {
        this.sourceBefore = sourceBefore;
        this.runBefore = runBefore;
    }

    /** @param runId the run's id; -1 before it has a row, or in a dry run, which has none */
    static RunMdc of(String source, long runId) {
        RunMdc before = new RunMdc(MDC.get(SOURCE), MDC.get(RUN));
        MDC.put(SOURCE, source);
        if (runId >= 0) {
            MDC.put(RUN, Long.toString(runId));
        } else {
            MDC.remove(RUN);
        }
        return before;
    }

    @Override
    public void close() {
        restore(SOURCE, sourceBefore);
        restore(RUN, runBefore);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
