package io.botsync.source.instabot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.cli.Botsync;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sync.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real sync (Camel pipeline, mapping, H2 warehouse) of the Instabot source against the simulator. */
class InstabotSyncTest {

    private final InstabotSimulator sim = new InstabotSimulator(400, 21);
    private final String url = TestDatabases.freshH2();

    @AfterEach
    void close() {
        sim.close();
    }

    private Map<String, String> properties(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(sim.sourceProperties("instabot"));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.instabot.page-size", "50");
        properties.putAll(extra);
        return properties;
    }

    private RunResult sync(boolean full) {
        try (Application app = Application.start(properties(Map.of()))) {
            return app.sync().sync("instabot", full);
        }
    }

    private List<String> column(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<String> values = new java.util.ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> liveIds() {
        Set<String> ids = new TreeSet<>();
        sim.liveIds().forEach(id -> ids.add(String.valueOf(id)));
        return ids;
    }

    private String cursor() {
        List<String> cursors = column("SELECT cursor FROM sync_state WHERE source = 'instabot'");
        return cursors.isEmpty() ? null : cursors.get(0);
    }

    @Test
    void firstSyncThenIncrementalsThenAFullScanThatFindsTheDeleted() {
        RunResult first = sync(false);
        assertTrue(first.ok(), first.summary());
        assertEquals("full", first.mode());
        assertEquals(400, first.counts().inserted());
        assertEquals(liveIds(), new TreeSet<>(column("SELECT external_id FROM crm_user WHERE source = 'instabot'")));
        long someone = sim.liveIds().get(0);
        String email = sim.user(someone).get("email").isNull() ? null
                : sim.user(someone).get("email").asText().strip().toLowerCase(java.util.Locale.ROOT);
        assertEquals(email == null ? "null" : email,
                String.valueOf(column("SELECT email FROM crm_user WHERE external_id = ?", someone + "").get(0)));
        assertTrue(cursor().startsWith("{\"lastUpdateDate\":\"2023-"), cursor());

        sim.mutate(10, 5);
        RunResult second = sync(false);
        assertTrue(second.ok(), second.summary());
        assertEquals("incremental", second.mode());
        assertEquals(5, second.counts().inserted());
        assertTrue(second.counts().updated() >= 8 && second.counts().updated() <= 10, second.summary());
        assertEquals(405, column("SELECT external_id FROM crm_user").size());
        assertTrue(second.counts().fetched() < 100, "an incremental reads the changes, not everyone: " + second.summary());

        RunResult quiet = sync(false);
        assertEquals(0, quiet.counts().written(), "the lookback overlap costs reads, no writes: " + quiet.summary());
        assertTrue(quiet.counts().unchanged() >= 15, quiet.summary());

        List<Long> ids = sim.liveIds();
        sim.delete(ids.get(5));
        sim.delete(ids.get(300));
        assertEquals(0, sync(false).counts().deleted(), "an incremental never marks anyone deleted");
        RunResult full = sync(true);
        assertTrue(full.ok(), full.summary());
        assertEquals(2, full.counts().deleted(), full.summary());
        assertEquals(Set.of(ids.get(5) + "", ids.get(300) + ""),
                new TreeSet<>(column("SELECT external_id FROM crm_user WHERE deleted")));
    }

    @Test
    void aFullSyncWhileUsersAreDeletedAndChangedMarksOnlyTheDeleted() {
        assertTrue(sync(false).ok());
        List<Long> ids = sim.liveIds();
        // Behind the scan (pages of 50 with an overlap of 5), users already read are deleted and changed.
        sim.beforePage(page -> {
            if (page == 3 || page == 6) {
                for (int i = 0; i < 8; i++) {
                    sim.delete(ids.get(page * 10 + i));
                }
                sim.mutate(5, 2);
            }
        });

        RunResult full = sync(true);

        assertTrue(full.ok(), full.summary());
        Set<String> deleted = new TreeSet<>(column("SELECT external_id FROM crm_user WHERE deleted"));
        Set<String> expected = new TreeSet<>();
        ids.forEach(id -> {
            if (!sim.liveIds().contains(id)) {
                expected.add(String.valueOf(id));
            }
        });
        assertEquals(16, expected.size());
        // No live user is flagged: nobody was lost to skip paging. The users deleted after the scan had read them
        // were seen by it, so only the next full scan flags them.
        assertTrue(expected.containsAll(deleted), "live users flagged deleted: " + deleted);
        assertTrue(new TreeSet<>(column("SELECT external_id FROM crm_user WHERE NOT deleted")).containsAll(liveIds()));
        sim.liveIds().forEach(id -> {
            String email = sim.user(id).get("email").isNull() ? null : sim.user(id).get("email").asText().strip().toLowerCase(java.util.Locale.ROOT);
            assertEquals(email, column("SELECT email FROM crm_user WHERE external_id = ?", id + "").get(0), "user " + id);
        });

        sim.beforePage(page -> { });
        assertTrue(sync(true).ok());
        assertEquals(expected, new TreeSet<>(column("SELECT external_id FROM crm_user WHERE deleted")));
    }

    @Test
    void aWrongKeyFailsWithExitCodeOneAndLeavesTheCursorAlone() {
        assertTrue(sync(false).ok());
        String before = cursor();
        assertFalse(before == null);
        sim.mutate(3, 0);

        Map<String, String> wrong = properties(Map.of("botsync.instabot.master-api-key", "wrong-master-key-42"));
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            wrong.forEach(System::setProperty);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Botsync.execute("sync", "instabot");
        } finally {
            System.setOut(out);
            wrong.keySet().forEach(System::clearProperty);
        }

        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(Botsync.SOURCE_FAILED, code, printed);
        assertTrue(printed.contains("instabot: failed"), printed);
        assertTrue(printed.contains("botsync.instabot.master-api-key"), printed);
        assertFalse(printed.contains("wrong-master-key-42"), printed);
        assertEquals(before, cursor());
        assertEquals(List.of("failed"), column("SELECT status FROM sync_run WHERE source = 'instabot' ORDER BY id DESC LIMIT 1"));
        assertNotEquals(null, column("SELECT error FROM sync_run WHERE status = 'failed'").get(0));
        assertNull(System.getProperty("botsync.instabot.master-api-key"));
    }
}
