package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sync.RunResult;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A full scan that would flag too many users deleted flags none, fails, and says how to go ahead if it is right. */
class MassDeleteGateTest {

    private static final int USERS = 100;

    private final MercurySimulator sim = new MercurySimulator(USERS, 21);
    private final String url = TestDatabases.fresh("h2");
    private Application app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
        sim.close();
    }

    private void botsync(String... overrides) {
        Map<String, String> properties = Warehouses.pointedAt(url, List.of(sim));
        properties.put("botsync.mercury.page-size", "20");
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put(overrides[i], overrides[i + 1]);
        }
        app = Application.start(properties);
    }

    @Test
    void aScanThatWouldFlagMoreThanTheShareFlagsNoneUntilAllowed() throws SQLException {
        botsync();
        assertEquals(RunResult.Status.SUCCEEDED, app.sync().sync("mercury", false).status());
        for (int i = 0; i < 21; i++) {
            sim.remove(0); // 21 of 100 users gone: more than the default 20%
        }
        RunResult refused = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.FAILED, refused.status(), refused.summary());
        assertTrue(refused.error().contains("would flag 21 of 100 users deleted") && refused.error().contains("20%")
                && refused.error().contains("botsync sync mercury --full --allow-mass-delete"), refused.error());
        assertEquals(0, Warehouses.count(url, "SELECT COUNT(*) FROM crm_user WHERE deleted"), "none is flagged");

        RunResult again = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.FAILED, again.status(), "the gate holds on the resumed scan too");

        RunResult allowed = app.sync().sync("mercury", true, true);
        assertEquals(RunResult.Status.SUCCEEDED, allowed.status(), allowed.summary());
        assertEquals(21, allowed.counts().deleted());
        assertEquals(21, Warehouses.count(url, "SELECT COUNT(*) FROM crm_user WHERE deleted"));
        assertEquals(1, Warehouses.count(url, "SELECT COUNT(*) FROM sync_run WHERE max_delete_share IS NULL"),
                "the run that was allowed says so");
    }

    @Test
    void aDryRunMeetsTheGateAsTheSyncWouldAndSaysSo() throws SQLException {
        botsync();
        app.sync().sync("mercury", false);
        for (int i = 0; i < 21; i++) {
            sim.remove(0);
        }
        List<io.botsync.warehouse.DryRun.Change> changes = new java.util.ArrayList<>();
        RunResult refused = app.sync().sync("mercury", true, false, changes::add);
        assertEquals(RunResult.Status.FAILED, refused.status(), refused.summary());
        assertTrue(refused.error().contains("would flag 21 of 100 users deleted"), refused.error());
        assertEquals(0, changes.stream().filter(c -> c.action().equals("delete")).count(), "no deletion shown: " + changes);

        changes.clear();
        RunResult allowed = app.sync().sync("mercury", true, true, changes::add);
        assertEquals(RunResult.Status.SUCCEEDED, allowed.status(), allowed.summary());
        assertEquals(21, changes.stream().filter(c -> c.action().equals("delete")).count(), "the deletions it would make");
        assertEquals(0, Warehouses.count(url, "SELECT COUNT(*) FROM crm_user WHERE deleted"), "a dry run writes nothing");
    }

    @Test
    void theShareIsConfigurablePerSourceAndDeletionsWithinItGoThrough() throws SQLException {
        botsync("botsync.mercury.mass-delete-share", "30%");
        app.sync().sync("mercury", false);
        for (int i = 0; i < 25; i++) {
            sim.remove(0);
        }
        RunResult result = app.sync().sync("mercury", false);
        assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
        assertEquals(25, Warehouses.count(url, "SELECT COUNT(*) FROM crm_user WHERE deleted"));
    }

    @Test
    void aShareThatIsNotOneIsAConfigurationErrorAtStartNamingTheKey() {
        io.botsync.sync.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(io.botsync.sync.ConfigException.class,
                () -> botsync("botsync.mass-delete-share", "lots"));
        assertTrue(e.getMessage().contains("botsync.mass-delete-share is 'lots': set it to a share between 0% and 100%"),
                e.getMessage());
    }
}
