package io.botsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.sim.PlatformSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

    private static final int USERS = 200;

    @Test
    void demoSyncsEverySimulatedPlatformChangesSomeUsersSyncsAgainAndPushesToTheCrmTwiceInARow(@TempDir Path dir) throws Exception {
        Path database = dir.resolve("demo");
        long platforms = ServiceLoader.load(PlatformSimulator.Factory.class).stream().count();
        assertTrue(platforms >= 2, "every platform's simulator is built in");

        for (int round = 0; round < 2; round++) {
            CommandLineRun run = CommandLineRun.of("demo", "--users", String.valueOf(USERS), "--database", database.toString());
            assertEquals(0, run.exitCode(), run.out() + run.err());
            String[] syncs = run.out().split("second sync");
            long expectedRows = 0;
            for (PlatformSimulator.Factory factory : ServiceLoader.load(PlatformSimulator.Factory.class)) {
                String name = factory.platform();
                // first sync: every generated contact (a simulator may also hold staff, which never land) and the
                // people the demo adds (at most 4 a platform); second: the added users (users/50) inserted and up to
                // users/20 changed ones updated
                long first = column(syncs[0], name, 2);
                assertTrue(first > USERS * 9 / 10 && first <= USERS + 4, name + " first sync inserts the users\n" + run.out());
                long added = column(syncs[1], name, 2);
                assertTrue(added > 0 && added <= USERS / 50, name + " second sync inserts the added users\n" + run.out());
                long updated = column(syncs[1], name, 3);
                assertTrue(updated > 0 && updated <= USERS / 20, name + " second sync updates the changed users\n" + run.out());
                assertEquals(0, column(syncs[0], name, 6) + column(syncs[1], name, 6), name + " rejects nothing");
                expectedRows += first + added;
            }
            try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + database, "sa", "");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT source) FROM crm_user")) {
                rows.next();
                assertEquals(expectedRows, rows.getLong(1), "the demo database is recreated, not added to");
                assertEquals(platforms, rows.getLong(2));
            }
            Matcher crm = Pattern.compile("the CRM holds (\\d+) contacts by email").matcher(run.out());
            assertTrue(crm.find(), run.out());
            assertEquals(distinctEmails(database), Long.parseLong(crm.group(1)), "the CRM holds a record per contact email");
            Matcher people = Pattern.compile("contacts: the (\\d+) live users are (\\d+) people, (\\d+) of them on more than"
                    + " one platform").matcher(run.out());
            assertTrue(people.find(), run.out());
            assertEquals(expectedRows, Long.parseLong(people.group(1)), "every live user is in a contact");
            assertTrue(Long.parseLong(people.group(2)) < expectedRows, "some users are the same person\n" + run.out());
            assertTrue(Long.parseLong(people.group(3)) >= 3, "the demo's three people on two platforms\n" + run.out());
        }
        assertTrue(Files.exists(Path.of(database + ".mv.db")));
    }

    private static long distinctEmails(Path database) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + database, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(DISTINCT email) FROM contact WHERE email IS NOT NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The n-th numeric column (1 = fetched) of a source's line in one of the demo's tables. */
    private static long column(String table, String source, int n) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(source) + "\\s+succeeded\\s+(.*)$").matcher(table);
        assertTrue(line.find(), source + " succeeded in:\n" + table);
        return Long.parseLong(line.group(1).trim().split("\\s+")[n - 1]);
    }
}
