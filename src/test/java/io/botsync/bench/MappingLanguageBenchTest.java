package io.botsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sync.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * JSLT against JSONata inside the real pipeline: a full sync of the three simulated platforms into a fresh H2 per
 * language, timing the whole sync and the time spent inside the mappings. Both must land the very same rows (same
 * content hashes), or the comparison means nothing. The numbers go to stdout and to target/mapping-bench.txt;
 * {@code -Dbotsync.bench.users=N} sets the users per platform (the README's numbers: 20000).
 *
 * <pre>mvn -q test -Dtest=MappingLanguageBenchTest -Dbotsync.bench.users=20000</pre>
 */
class MappingLanguageBenchTest {

    private static final int USERS = Integer.getInteger("botsync.bench.users", 1500);

    record Round(String language, Duration sync, Duration mapping, long users, List<String> rows) {

        String line() {
            return String.format(Locale.ROOT, "%-8s %8d users  sync %7.2fs  mapping %6.2fs  share %5.1f%%  %6.1f µs/user",
                    language, users, sync.toNanos() / 1e9, mapping.toNanos() / 1e9,
                    100.0 * mapping.toNanos() / sync.toNanos(), mapping.toNanos() / 1e3 / users);
        }
    }

    @Test
    void jsltAndJsonataLandTheSameRowsInTheRealPipeline() throws Exception {
        Path jsonata = Files.createTempDirectory("botsync-jsonata");
        for (String platform : List.of("instabot", "stepchat", "mercury")) {
            try (InputStream in = getClass().getResourceAsStream("/bench/jsonata/" + platform + ".jsonata")) {
                Files.write(jsonata.resolve(platform + ".jsonata"), in.readAllBytes());
            }
        }
        // a first small round of each warms the JIT, so neither language pays for it in the measured round
        round("jslt", "timed-jslt", Path.of("mappings"), TimedLanguage.TimedJslt.NANOS, 300);
        round("jsonata", "timed-jsonata", jsonata, TimedLanguage.TimedJsonata.NANOS, 300);

        Round jslt = round("jslt", "timed-jslt", Path.of("mappings"), TimedLanguage.TimedJslt.NANOS, USERS);
        Round json = round("jsonata", "timed-jsonata", jsonata, TimedLanguage.TimedJsonata.NANOS, USERS);

        String report = "mapping languages, full sync of 3 simulated platforms into H2\n" + jslt.line() + "\n" + json.line() + "\n";
        System.out.print(report);
        Files.writeString(Path.of("target", "mapping-bench.txt"), report);
        assertEquals(jslt.rows().size(), json.rows().size());
        assertEquals(jslt.rows(), json.rows(), "both languages land the same content");
    }

    private static Round round(String label, String language, Path mappings, LongAdder nanos, int users) throws SQLException {
        List<PlatformSimulator> simulators = new ArrayList<>();
        String url = TestDatabases.freshH2();
        try {
            Map<String, String> properties = new HashMap<>();
            for (PlatformSimulator.Factory factory : ServiceLoader.load(PlatformSimulator.Factory.class)) {
                PlatformSimulator simulator = factory.start(users, 42);
                simulators.add(simulator);
                properties.putAll(simulator.sourceProperties(simulator.platform()));
            }
            properties.put("botsync.warehouse.url", url);
            properties.put("botsync.mappings.dir", mappings.toString());
            properties.put("botsync.mappings.language", language);
            properties.put("botsync.accounts", "");
            long fetched = 0;
            Duration sync;
            try (Application app = Application.start(properties)) {
                TimedLanguage.spent(nanos);
                long start = System.nanoTime();
                for (PlatformSimulator simulator : simulators) {
                    RunResult result = app.sync().sync(simulator.platform(), true);
                    assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
                    fetched += result.counts().fetched();
                }
                sync = Duration.ofNanos(System.nanoTime() - start);
            }
            return new Round(label, sync, TimedLanguage.spent(nanos), fetched, rows(url));
        } finally {
            simulators.forEach(PlatformSimulator::close);
        }
    }

    private static List<String> rows(String url) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT source, external_id, content_hash FROM crm_user ORDER BY source, external_id")) {
            while (result.next()) {
                rows.add(result.getString(1) + "/" + result.getString(2) + "/" + result.getString(3));
            }
        }
        return rows;
    }
}
