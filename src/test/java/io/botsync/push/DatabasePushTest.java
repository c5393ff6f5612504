package io.botsync.push;

import static io.botsync.push.PushFixture.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped push route to a contacts table of the user's own database (routes/push-contactsdb.yaml, Camel's jdbc
 * component) against this machine's MariaDB and PostgreSQL: every user a row, changes and deletions upserted, a
 * table that is not there yet fails the target (redelivered, then the round stops) and loses nothing.
 */
class DatabasePushTest {

    private static final int USERS = 80;
    private static final String USER_COLUMNS = "source, external_id, email, phone, first_name, last_name, display_name";

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgresql"})
    void everyUserIsARowChangesAreUpsertedAndAMissingTableLosesNothing(String database) throws Exception {
        String contacts = database.equals("mariadb") ? TestDatabases.freshMariaDb() : TestDatabases.freshPostgres();
        try (PushFixture fixture = new PushFixture("h2", USERS)) {
            Application app = fixture.start(Map.of("botsync.push.contactsdb.url", contacts,
                    "botsync.push.contactsdb.user", TestDatabases.user(contacts)));
            app.sync().sync("mercury", false);

            PushResult missing = app.push().push("contactsdb");
            assertEquals(PushResult.Status.FAILED, missing.status(), missing.summary());
            assertTrue(missing.error().startsWith("contactsdb: ") && missing.error().toLowerCase().contains("contacts"),
                    missing.error());
            assertEquals(0, missing.position(), "nothing moved past the change the database refused");

            execute(contacts, database.equals("mariadb")
                    ? "CREATE TABLE contacts (source varchar(32) NOT NULL, external_id varchar(128) NOT NULL, email varchar(320),"
                    + " phone varchar(32), first_name varchar(200), last_name varchar(200), display_name varchar(400),"
                    + " deleted boolean NOT NULL, change_id bigint NOT NULL, synced_at datetime(6) NOT NULL,"
                    + " PRIMARY KEY (source, external_id))"
                    : "CREATE TABLE contacts (source varchar(32) NOT NULL, external_id varchar(128) NOT NULL, email varchar(320),"
                    + " phone varchar(32), first_name varchar(200), last_name varchar(200), display_name varchar(400),"
                    + " deleted boolean NOT NULL, change_id bigint NOT NULL, synced_at timestamp with time zone NOT NULL,"
                    + " PRIMARY KEY (source, external_id))");
            PushResult first = app.push().push("contactsdb");
            assertEquals(PushResult.Status.SUCCEEDED, first.status(), first.summary());
            assertEquals(USERS, first.delivered());
            String users = "SELECT " + USER_COLUMNS + " FROM crm_user ORDER BY source, external_id";
            String rows = "SELECT " + USER_COLUMNS + " FROM contacts ORDER BY source, external_id";
            assertEquals(TestDatabases.rows(fixture.url, users), TestDatabases.rows(contacts, rows), "every user, as the warehouse holds it");

            String removed = fixture.mercury.remove(5);
            fixture.mercury.mutate(6, 2);
            app.sync().sync("mercury", false);
            PushResult later = app.push().push("contactsdb");
            assertEquals(PushResult.Status.SUCCEEDED, later.status(), later.summary());
            assertEquals(TestDatabases.rows(fixture.url, users), TestDatabases.rows(contacts, rows), "changes upserted in place");
            assertEquals(List.of(List.of(1L)), TestDatabases.rows(contacts,
                    "SELECT COUNT(*) FROM contacts WHERE deleted AND external_id = '" + removed + "'"), "the deletion is a flag");
            assertEquals(strings(app, "SELECT MAX(id) FROM user_change"), List.of(String.valueOf(later.position())));
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, TestDatabases.user(url), "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
