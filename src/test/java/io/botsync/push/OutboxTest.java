package io.botsync.push;

import static io.botsync.push.PushFixture.count;
import static io.botsync.push.PushFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.cli.Application;
import io.botsync.sync.RunResult;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transactional outbox: every insert, update and deletion flag of crm_user has its user_change row, and nothing else. */
class OutboxTest {

    private static final int USERS = 300;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void everyChangeToCrmUserHasOneEventAndAnUnchangedRerunHasNone(String kind) throws Exception {
        try (PushFixture fixture = new PushFixture(kind, USERS)) {
            Application app = fixture.start(Map.of());
            app.sync().sync("mercury", false);
            assertEquals(List.of("inserted " + USERS), kinds(app));
            assertEquals(USERS, count(app, "SELECT COUNT(DISTINCT external_id) FROM user_change"));
            assertEquals(0, count(app, "SELECT COUNT(*) FROM user_change c JOIN crm_user u ON u.source = c.source"
                    + " AND u.external_id = c.external_id WHERE u.content_hash <> c.content_hash"), "each event carries the hash it wrote");

            RunResult unchanged = app.sync().sync("mercury", false);
            assertEquals(0, unchanged.counts().written(), unchanged.summary());
            assertEquals(USERS, count(app, "SELECT COUNT(*) FROM user_change"), "an unchanged user writes no event");

            String removed = fixture.mercury.remove(0);
            fixture.mercury.mutate(5, 3);
            RunResult changed = app.sync().sync("mercury", false);
            assertEquals(RunResult.Status.SUCCEEDED, changed.status(), changed.summary());
            assertEquals(1, changed.counts().deleted());
            assertEquals(List.of("deleted 1", "inserted " + (USERS + changed.counts().inserted()), "updated " + changed.counts().updated()),
                    kinds(app), "one event per row the run wrote, of its kind");
            assertEquals(List.of(removed), strings(app, "SELECT external_id FROM user_change WHERE kind = 'deleted'"));
            assertTrue(changed.counts().updated() >= 4, changed.summary());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aPageThatFailsToCommitLeavesNoEvent(String kind) throws Exception {
        try (PushFixture fixture = new PushFixture(kind, USERS)) {
            Application app = fixture.start(Map.of("botsync.mercury.page-size", "50"));
            String poisoned = fixture.mercury.renderAll().get(170).path("userId").asText(); // on the 4th page
            try (Connection connection = app.warehouse().dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE crm_user ADD CONSTRAINT test_poison CHECK (external_id <> '" + poisoned + "')");
            }
            RunResult failed = app.sync().sync("mercury", false);
            assertEquals(RunResult.Status.FAILED, failed.status(), failed.summary());
            long rows = count(app, "SELECT COUNT(*) FROM crm_user");
            assertTrue(rows > 0 && rows < USERS, "some pages committed: " + rows);
            assertEquals(rows, count(app, "SELECT COUNT(*) FROM user_change"), "events exactly for the committed rows");
            assertEquals(0, count(app, "SELECT COUNT(*) FROM user_change c WHERE NOT EXISTS (SELECT 1 FROM crm_user u"
                    + " WHERE u.source = c.source AND u.external_id = c.external_id)"));
        }
    }

    private static List<String> kinds(Application app) throws Exception {
        return strings(app, "SELECT kind || ' ' || COUNT(*) FROM user_change GROUP BY kind ORDER BY kind");
    }
}
