package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.BotsyncProcess;
import io.botsync.RoutesWithSteps;
import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sim.stepchat.StepChatSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash safety, the way it happens: botsync runs as a JVM of its own against the three simulators (slowed down), is
 * killed with SIGKILL at several points of a sync of every source, is started again each time, and finally left to
 * finish. The warehouse must then equal the one a clean run writes: no row missing, none doubled, the same cursors.
 * The sync route has ops' kind of steps between its stages ({@link RoutesWithSteps}), and the guarantee holds with them.
 */
class CrashSafetyTest {

    /** Kill points, as fractions of the requests a clean run makes: each crashed run is killed that far into its own. */
    static final double[] KILL_POINTS = {0.25, 0.5, 0.8};

    private final List<PlatformSimulator> sims = List.of(new InstabotSimulator(250, 31), StepChatSimulator.start(300, 32),
            new MercurySimulator(300, 33));
    private final AtomicInteger requests = new AtomicInteger();
    private final Path tap = temporaryFolder();
    private final Path routes = RoutesWithSteps.create(tap);

    @AfterEach
    void close() {
        sims.forEach(PlatformSimulator::close);
    }

    private Map<String, String> properties(String url) {
        Map<String, String> properties = Warehouses.pointedAt(url, sims);
        properties.put("botsync.routes.dir", routes.toString()); // a wire tap, a log, a throttle and a second endpoint
        properties.put("botsync.instabot.page-size", "50");
        properties.put("botsync.mercury.page-size", "25");
        properties.put("botsync.pipeline.pages-in-flight", "2");
        return properties;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void killedAtSeveralPointsThenRerunTheWarehouseEqualsACleanRun(String kind) throws Exception {
        String clean = TestDatabases.fresh(kind);
        try (Application app = Application.start(properties(clean))) {
            app.sync().syncAll(sims.stream().map(PlatformSimulator::platform).toList(), false)
                    .forEach(r -> assertTrue(r.ok(), r.summary()));
        }
        int cleanRequests = sims.stream().mapToInt(sim -> sim.faults().requests()).sum();
        sims.forEach(sim -> sim.faults().before(request -> {
            requests.incrementAndGet();
            Thread.sleep(40); // slow enough that a kill lands mid-sync, with pages queued and commits under way
        }));

        String crashed = TestDatabases.fresh(kind);
        List<String> killedAt = new ArrayList<>();
        for (double point : KILL_POINTS) {
            int start = requests.get();
            int killAt = start + (int) Math.max(1, point * cleanRequests);
            BotsyncProcess botsync = BotsyncProcess.start(properties(crashed), "sync");
            while (botsync.alive() && requests.get() < killAt) {
                Thread.sleep(5);
            }
            botsync.kill();
            killedAt.add((requests.get() - start) + " requests in");
        }
        BotsyncProcess rerun = BotsyncProcess.start(properties(crashed), "sync");
        assertEquals(0, rerun.exitCode(), rerun.output());

        String where = " (killed " + killedAt + " of " + cleanRequests + ")";
        assertEquals(Warehouses.query(clean, Warehouses.USERS), Warehouses.query(crashed, Warehouses.USERS),
                "every user, as a clean run writes it" + where);
        assertEquals(0, Warehouses.count(crashed, "SELECT COUNT(*) - COUNT(DISTINCT source || '/' || external_id) FROM crm_user"),
                "no (source, external_id) twice" + where);
        String cursors = "SELECT source, cursor FROM sync_state ORDER BY source";
        assertEquals(Warehouses.query(clean, cursors), Warehouses.query(crashed, cursors), "the same cursors" + where);
        String lastRuns = "SELECT source, status FROM sync_run r WHERE id = (SELECT MAX(id) FROM sync_run l WHERE l.source = r.source)"
                + " ORDER BY source";
        assertEquals(List.of(List.of("instabot", "succeeded"), List.of("mercury", "succeeded"), List.of("stepchat", "succeeded")),
                Warehouses.query(crashed, lastRuns), where);
        // a kill can also land while a reader opens, before its run begins; most land in a run
        assertTrue(Warehouses.count(crashed, "SELECT COUNT(*) FROM sync_run WHERE error LIKE 'interrupted%'") >= 1,
                "the kills landed in runs" + where);
        assertEquals(0, Warehouses.count(crashed, "SELECT COUNT(*) FROM sync_run WHERE status = 'running'"),
                "every killed run is closed as interrupted" + where);
        assertEquals(0, Warehouses.count(crashed, "SELECT COUNT(*) FROM scan_seen"), "no scan is left half-done" + where);
        // contacts commit with their users: each member in the contact a clean run puts it in, with the same fields
        // (ids may differ: a killed transaction burns the sequence values it drew)
        String contacts = "SELECT m.source, m.external_id, c.email, c.phone, c.first_name, c.member_count FROM contact_member m"
                + " JOIN contact c ON c.id = m.contact_id ORDER BY m.source, m.external_id";
        assertEquals(Warehouses.query(clean, contacts), Warehouses.query(crashed, contacts), "the contacts of a clean run" + where);
        assertEquals(0, Warehouses.count(crashed, "SELECT COUNT(*) FROM crm_user u WHERE NOT deleted AND NOT EXISTS (SELECT 1"
                + " FROM contact_member m WHERE m.source = u.source AND m.external_id = u.external_id)"), "every user in a contact" + where);
        assertTrue(RoutesWithSteps.tapped(tap).size() >= Warehouses.count(clean, "SELECT COUNT(*) FROM raw_page"),
                "the wire tap wrote the pages of every run");
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("botsync-tap");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
