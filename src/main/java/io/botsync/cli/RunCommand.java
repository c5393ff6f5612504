package io.botsync.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * The service: the schedules of routes/*.yaml, with /observe/health and /observe/metrics, until the process is
 * stopped. On SIGTERM Camel stops the schedules gracefully (camel.main.shutdown-timeout): each page commits in one
 * transaction, so the page in flight is either committed or rolled back.
 */
@Command(name = "run", description = "Run as a service: the schedules in routes/*.yaml, health and metrics, until stopped.")
final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        Application app = Application.start(Map.of(), true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "botsync-shutdown"));
        stopped.await();
        return Botsync.OK;
    }
}
