package io.botsync.cli;

import io.botsync.sync.SourceConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * The service: the schedules of routes/*.yaml, with /observe/health and /observe/metrics, until the process is
 * stopped. On SIGTERM Camel stops the schedules gracefully (camel.main.shutdown-timeout): each page commits in one
 * transaction, so the page in flight is either committed or rolled back. One log line says what started, one that it
 * stopped.
 */
@Command(name = "run", description = "Run as a service: the schedules in routes/*.yaml, health and metrics, until stopped.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Override
    public Integer call() throws InterruptedException {
        long started = System.nanoTime();
        Application app = Application.start(Map.of(), true);
        LOG.info(startLine(app));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            Duration up = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("botsync stopped after {}h{}m{}s", up.toHours(), up.toMinutesPart(), up.toSecondsPart());
            stopped.countDown();
        }, "botsync-shutdown"));
        stopped.await();
        return Botsync.OK;
    }

    /** {@code botsync started: health and metrics on 0.0.0.0:9876; accounts scheduled: instabot (0 0/15 * * * ?); ...}. */
    private static String startLine(Application app) {
        List<String> scheduled = app.pipeline().consumers().stream().filter(SourceConsumer::scheduled)
                .map(c -> c.account() + c.schedule().map(s -> " (" + s + ")").orElse("")).sorted().toList();
        List<String> targets = app.push().targets();
        return "botsync started: health and metrics on "
                + Optional.ofNullable(app.property("camel.management.host")).orElse("0.0.0.0") + ":"
                + app.property("camel.management.port") + " (/observe/health, /observe/metrics); accounts scheduled: "
                + (scheduled.isEmpty() ? "none" : String.join(", ", scheduled)) + "; push targets: "
                + (targets.isEmpty() ? "none" : String.join(", ", targets));
    }
}
