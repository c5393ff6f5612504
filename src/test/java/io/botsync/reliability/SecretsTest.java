package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.BotsyncProcess;
import io.botsync.RoutesWithSteps;
import io.botsync.TestDatabases;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.SimFaults.Status;
import io.botsync.sim.SimFaults.Truncate;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sim.stepchat.StepChatSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No secret the simulators hold (API keys, the admin token, every StepChat user's login token and password) reaches
 * botsync's output at DEBUG level, Camel's included, or any table, through syncs that retry failures, reject records
 * and get refused, while the platforms echo what they were sent in their error pages.
 */
class SecretsTest {

    private final InstabotSimulator instabot = new InstabotSimulator(120, 41);
    private final StepChatSimulator stepchat = StepChatSimulator.start(150, 42);
    private final MercurySimulator mercury = new MercurySimulator(120, 43);
    private final List<PlatformSimulator> sims = List.of(instabot, stepchat, mercury);
    private final Path tap = tapFolder();

    @AfterEach
    void close() {
        sims.forEach(PlatformSimulator::close);
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(InstabotSimulator.API_KEY, InstabotSimulator.MASTER_API_KEY,
                stepchat.adminToken(), mercury.apiKey()));
        secrets.addAll(stepchat.userSecrets());
        return secrets;
    }

    private Map<String, String> properties(String url) {
        Map<String, String> properties = Warehouses.pointedAt(url, sims);
        properties.put("botsync.http.retry-delay", "10ms");
        // the product's logging at its most talkative, not the tests' quiet one
        properties.put("logback.configurationFile", Path.of("target/classes/logback.xml").toAbsolutePath().toString());
        properties.put("BOTSYNC_LOG_LEVEL", "DEBUG");
        properties.put("BOTSYNC_CAMEL_LOG_LEVEL", "DEBUG");
        // ops' steps between the stages: every fetched page tapped to a file and its body logged
        properties.put("botsync.routes.dir", RoutesWithSteps.create(tap).toString());
        return properties;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void noSecretInTheLogsOrAnyTable(String kind) throws Exception {
        String url = TestDatabases.fresh(kind);
        instabot.faults().next(new Status(500, null), new Truncate());
        mercury.faults().next(new Status(503, null), new Truncate());
        stepchat.failNextCall(502, "Bad Gateway: token=" + stepchat.adminToken());
        long rejected = stepchat.ids("visitor", "lead", "user").get(3);
        stepchat.setRawLastActivity(rejected, "not a date"); // its record, token and password included, is rejected

        StringBuilder output = new StringBuilder();
        BotsyncProcess first = BotsyncProcess.start(properties(url), "sync");
        assertEquals(0, first.exitCode(), first.output());
        output.append(first.output());

        instabot.faults().next(new Status(401, null));
        mercury.faults().next(new Status(403, null));
        stepchat.failNextCall(200, "{\"success\":false,\"response\":\"MySQL error near '" + stepchat.adminToken() + "'\"}");
        BotsyncProcess refused = BotsyncProcess.start(properties(url), "sync", "--full");
        assertEquals(1, refused.exitCode(), refused.output());
        output.append(refused.output());

        String dump = dump(url);
        StringBuilder files = new StringBuilder();
        for (Path file : RoutesWithSteps.tapped(tap)) {
            files.append(Files.readString(file));
        }
        assertTrue(output.toString().contains("DEBUG") && output.toString().contains("rejected=1"), "the runs did log");
        assertTrue(output.toString().contains("stepchat page 1: [{"), "the route's log step logged the pages' bodies");
        assertTrue(files.toString().contains("\"first_name\""), "the wire tap wrote StepChat's pages");
        assertTrue(dump.contains("not a date"), "the rejected record was stored");
        List<String> secrets = secrets();
        assertTrue(secrets.size() > stepchat.userCount(), "every user's token and password is searched for: " + secrets.size());
        for (String secret : secrets) {
            assertTrue(!output.toString().contains(secret), "a secret in botsync's output: " + secret);
            assertTrue(!dump.contains(secret), "a secret in the warehouse: " + secret);
            assertTrue(!files.toString().contains(secret), "a secret in a page the route's wire tap wrote: " + secret);
        }
    }

    /** Personal data is not a secret botsync holds, but no log line needs it: a page the database refuses logs none. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aPageTheDatabaseRefusesLogsNoUsersEmailOrPhone(String kind) throws Exception {
        String url = TestDatabases.fresh(kind);
        io.botsync.warehouse.Warehouse.open(url, TestDatabases.user(url), "").close(); // the schema
        execute(url, "ALTER TABLE crm_user ADD CONSTRAINT refuse_emails CHECK (email IS NULL)");
        // the product's logging as it ships (no route step here logs the pages on purpose)
        Map<String, String> properties = Warehouses.pointedAt(url, sims);
        properties.put("logback.configurationFile", Path.of("target/classes/logback.xml").toAbsolutePath().toString());
        BotsyncProcess refused = BotsyncProcess.start(properties, "sync", "mercury");
        assertEquals(1, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("refuse_emails") || refused.output().toUpperCase().contains("REFUSE_EMAILS"),
                "the failure names the constraint: " + refused.output());

        execute(url, "ALTER TABLE crm_user DROP CONSTRAINT refuse_emails");
        BotsyncProcess synced = BotsyncProcess.start(properties, "sync", "mercury");
        assertEquals(0, synced.exitCode(), synced.output());
        List<List<Object>> people = TestDatabases.rows(url, "SELECT email, phone FROM crm_user WHERE email IS NOT NULL");
        assertTrue(people.size() > 50, "users with an email: " + people.size());
        for (List<Object> person : people) {
            for (Object value : person) {
                assertTrue(value == null || !refused.output().contains((String) value), "a user's data in the log: " + value);
            }
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, TestDatabases.user(url), "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Path tapFolder() {
        try {
            return Files.createTempDirectory("botsync-tap");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every row of every table of the warehouse, as text. */
    private static String dump(String url) throws SQLException {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(url, TestDatabases.user(url), "")) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rows.next()) {
                    String schema = rows.getString("TABLE_SCHEM");
                    if (schema.equalsIgnoreCase("public")) {
                        tables.add("\"" + schema + "\".\"" + rows.getString("TABLE_NAME") + "\"");
                    }
                }
            }
            assertTrue(tables.size() >= 5, "tables: " + tables);
            for (String table : tables) {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    while (rows.next()) {
                        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                            dump.append(rows.getString(i)).append('\t');
                        }
                        dump.append('\n');
                    }
                }
            }
        }
        return dump.toString();
    }
}
