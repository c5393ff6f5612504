package io.botsync.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** The service: the schedules of routes/*.yaml run until the process is stopped. */
@Command(name = "run", description = "Run as a service: the schedules in routes/*.yaml, until stopped.")
final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        String routes = System.getProperty("botsync.routes.dir", "routes");
        Application app = Application.start(Map.of("camel.main.routes-include-pattern",
                "file:" + routes + "/*.yaml"), true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "botsync-shutdown"));
        stopped.await();
        return Botsync.OK;
    }
}
