package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.BotsyncProcess;
import io.botsync.RoutesWithSteps;
import io.botsync.TestDatabases;
import io.botsync.sim.mercury.MercurySimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two botsync processes syncing one source at once: the second says the first has it and exits 0; the first ends
 * the sync alone. A holder killed mid-run leaves no lock behind.
 */
class SingleFlightTest {

    private static final int USERS = 120;

    private final MercurySimulator sim = new MercurySimulator(USERS, 17);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Path routes = RoutesWithSteps.create(tapFolder());

    @AfterEach
    void close() {
        release.countDown();
        sim.close();
    }

    private Map<String, String> properties(String url) {
        Map<String, String> properties = Warehouses.pointedAt(url, List.of(sim));
        properties.put("botsync.mercury.page-size", "20");
        properties.put("botsync.routes.dir", routes.toString()); // ops' kind of steps between the stages
        return properties;
    }

    /** A botsync process stopped at its second page request until the test lets it go: mid-sync, holding the lock. */
    private BotsyncProcess holder(String url) throws InterruptedException {
        sim.faults().before(request -> {
            if (request == 2) {
                holding.countDown();
                release.await(2, TimeUnit.MINUTES);
            }
        });
        BotsyncProcess holder = BotsyncProcess.start(properties(url), "sync", "mercury");
        assertTrue(holding.await(2, TimeUnit.MINUTES), "the process never got to its second page:\n" + holder.output());
        return holder;
    }

    private static Path tapFolder() {
        try {
            return Files.createTempDirectory("botsync-tap");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String url(String kind) {
        String url = TestDatabases.fresh(kind);
        return kind.equals("h2") ? url + ";AUTO_SERVER=TRUE" : url; // two processes share the H2 file
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theSecondProcessSaysTheSourceIsBusyAndExitsZeroWhileTheFirstFinishesAlone(String kind) throws Exception {
        String url = url(kind);
        BotsyncProcess first = holder(url);

        BotsyncProcess second = BotsyncProcess.start(properties(url), "sync", "mercury");
        assertEquals(0, second.exitCode(), second.output());
        assertTrue(second.output().contains("mercury: skipped (another botsync process is syncing mercury (run 1, started"),
                second.output());

        release.countDown();
        assertEquals(0, first.exitCode(), first.output());
        assertTrue(first.output().contains("mercury: succeeded"), first.output());
        assertEquals(List.of(List.of("succeeded", (long) USERS)),
                Warehouses.query(url, "SELECT status, inserted FROM sync_run"), "one run, by the first process");
        assertEquals(USERS, Warehouses.count(url, "SELECT COUNT(*) FROM crm_user"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aHolderKilledMidRunLeavesNoLockBehind(String kind) throws Exception {
        String url = url(kind);
        BotsyncProcess holder = holder(url);
        holder.kill();
        sim.faults().before(null);
        release.countDown();

        BotsyncProcess next = BotsyncProcess.start(properties(url), "sync", "mercury");
        assertEquals(0, next.exitCode(), next.output());
        assertTrue(next.output().contains("mercury: succeeded"), next.output());
        List<List<Object>> runs = Warehouses.query(url, "SELECT status, error FROM sync_run ORDER BY id");
        assertEquals(Arrays.asList("succeeded", null), runs.get(runs.size() - 1));
        // H2 writes committed transactions to its file up to a second after the commit, so a SIGKILL may take the
        // holder's just-begun run with it (consistently: its pages went too); PostgreSQL keeps it. A run that is
        // there was closed by the next one as interrupted, never left running.
        assertEquals(kind.equals("postgresql") ? 2 : runs.size(), runs.size(), runs.toString());
        for (List<Object> dead : runs.subList(0, runs.size() - 1)) {
            assertEquals(List.of("failed", "interrupted: the process stopped, or lost the warehouse, before this run finished"), dead);
        }
        assertEquals(USERS, Warehouses.count(url, "SELECT COUNT(DISTINCT external_id) FROM crm_user"));
    }
}
