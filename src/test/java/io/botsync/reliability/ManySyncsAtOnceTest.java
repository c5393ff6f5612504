package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sync.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * More accounts syncing at once than the warehouse pool has connections (8), as `run` does when many accounts' crons
 * fire together: each sync holds its source's lock on a connection for the whole pass and needs another to write, so
 * with every connection a lock they all waited for the pool's timeout and failed (the soak, bench/RESULTS.md). Every
 * one succeeds.
 */
class ManySyncsAtOnceTest {

    private static final int ACCOUNTS = 12;
    private static final int USERS = 60;

    private final MercurySimulator sim = new MercurySimulator(USERS, 33);
    private final ExecutorService threads = Executors.newFixedThreadPool(ACCOUNTS);
    private Application app;

    @AfterEach
    void close() {
        threads.shutdownNow();
        if (app != null) {
            app.close();
        }
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void twelveAccountsSyncedAtOnceAllSucceed(String kind) throws Exception {
        String url = TestDatabases.fresh(kind);
        List<String> accounts = IntStream.rangeClosed(1, ACCOUNTS).mapToObj(i -> "mercury-" + i).toList();
        Map<String, String> properties = Warehouses.pointedAt(url, List.of());
        properties.put("botsync.accounts", String.join(",", accounts));
        for (String account : accounts) {
            properties.putAll(sim.sourceProperties(account));
            properties.put("botsync." + account + ".platform", "mercury");
            properties.put("botsync." + account + ".page-size", "20");
        }
        sim.faults().before(request -> Thread.sleep(100)); // each sync holds its lock while its pages come
        app = Application.start(properties);

        List<Future<RunResult>> runs = new ArrayList<>();
        for (String account : accounts) {
            runs.add(threads.submit(() -> app.sync().sync(account)));
        }
        for (Future<RunResult> run : runs) {
            RunResult result = run.get();
            assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
        }
        assertEquals((long) ACCOUNTS * USERS, Warehouses.count(url, "SELECT COUNT(*) FROM crm_user"));
    }
}
