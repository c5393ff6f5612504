package io.botsync.cli;

import io.botsync.identity.ContactQueries;
import io.botsync.push.PushResult;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.crm.CrmSimulator;
import io.botsync.sync.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts a simulator of every platform on loopback, syncs their generated users into a fresh embedded H2 file,
 * changes some users, syncs again, pushes the changes to a simulated CRM and prints what happened. It never touches the configured warehouse: its
 * database ({@code botsync.demo.database}) is recreated each time, so running it twice gives the same story.
 */
@Command(name = "demo", description = "Sync built-in platform simulators into an embedded H2 database, change some users, sync again,"
        + " push the changes to a simulated CRM.")
final class DemoCommand implements Callable<Integer> {

    private static final String CRM_TOKEN = "demo-crm-token";

    @Option(names = "--users", description = "users per simulated platform (default: botsync.demo.users, 3000)")
    Integer users;

    @Option(names = "--database", description = "the H2 file the demo recreates (default: botsync.demo.database, ./data/demo)")
    String database;

    @Override
    public Integer call() {
        List<PlatformSimulator> simulators = new ArrayList<>();
        // the CRM the demo pushes to: HubSpot-shaped, with a request budget the push route keeps within
        try (CrmSimulator crm = new CrmSimulator(CRM_TOKEN, 10)) {
            int count = users != null ? users : Integer.parseInt(defaults("botsync.demo.users", "3000"));
            String file = database != null ? database : defaults("botsync.demo.database", "./data/demo");
            Path path = Path.of(file).toAbsolutePath().normalize();
            deleteDatabase(path);
            Map<String, String> overrides = new HashMap<>();
            overrides.put("botsync.warehouse.url", "jdbc:h2:file:" + path);
            overrides.put("botsync.warehouse.user", "sa");
            overrides.put("botsync.warehouse.password", "");
            overrides.put("botsync.accounts", "");
            overrides.putAll(crm.pushProperties());
            for (PlatformSimulator.Factory factory : ServiceLoader.load(PlatformSimulator.Factory.class)) {
                PlatformSimulator simulator = factory.start(count, 42);
                simulators.add(simulator);
                overrides.putAll(simulator.sourceProperties(simulator.platform()));
            }
            if (simulators.isEmpty()) {
                System.out.println("no platform simulator is built in");
                return Botsync.SOURCE_FAILED;
            }
            int shared = sharePeople(simulators);
            System.out.printf("demo: %d users on each of %d simulated platforms (%d of them people on two platforms), warehouse %s%n",
                    count, simulators.size(), shared, path);
            try (Application app = Application.start(overrides)) {
                List<String> sources = simulators.stream().map(PlatformSimulator::platform).toList();
                List<RunResult> first = app.sync().syncAll(sources, false);
                int changed = Math.max(1, count / 20);
                int added = Math.max(1, count / 50);
                simulators.forEach(s -> s.mutate(changed, added));
                List<RunResult> second = app.sync().syncAll(sources, false);
                print("first sync", first);
                System.out.printf("%nthen %d users changed and %d added on each platform%n", changed, added);
                print("second sync", second);
                PushResult pushed = app.push().push("hubspot");
                System.out.printf("%npush to the CRM (routes/push-hubspot.yaml): %s%n", pushed.summary());
                System.out.printf("the CRM holds %d contacts by email, after %d requests%n", crm.contacts().size(), crm.requests());
                ContactQueries.Counts contacts = new ContactQueries(app.warehouse(), app.contacts().settings()).counts();
                System.out.printf("%ncontacts: the %d live users are %d people, %d of them on more than one platform;"
                        + " see one with: contacts show maria.ivanova@example.com%n", contacts.members(), contacts.live(),
                        contacts.acrossSources());
                System.out.printf("%nthe warehouse: jdbc:h2:file:%s (tables crm_user, contact, contact_member, sync_run,"
                        + " sync_state, rejected_record, user_change, push_position)%n", path);
                boolean ok = first.stream().allMatch(RunResult::ok) && second.stream().allMatch(RunResult::ok) && pushed.ok();
                return ok ? Botsync.OK : Botsync.SOURCE_FAILED;
            }
        } finally {
            simulators.forEach(PlatformSimulator::close);
        }
    }

    /**
     * People who talk to two platforms, written as each platform holds them: one email in another case, one phone
     * written another way, and one person whose email and phone bridge two others into one contact.
     *
     * @return how many users were added
     */
    private static int sharePeople(List<PlatformSimulator> simulators) {
        String[][] people = {
            // platform, first, last, email, phone
            {"instabot", "Maria", "Ivanova", "Maria.Ivanova@Example.com", "+7 919 123-12-12"},
            {"stepchat", "Maria", "Ivanova", "maria.ivanova@example.com", null},
            {"instabot", "Oleg", "Petrov", "oleg@example.com", "+79161112233"},
            {"stepchat", "O.", "Petrov", "o.petrov@example.org", "+7 916 111-22-33"},
            {"instabot", "Anna", "Kim", "anna.kim@example.com", null},
            {"stepchat", "Anna", "K.", null, "+4915112345678"},
            {"stepchat", "Anna", "Kim", "anna.kim@example.com", "+49 151 1234 5678"},
        };
        int added = 0;
        for (String[] person : people) {
            for (PlatformSimulator simulator : simulators) {
                if (simulator.platform().equals(person[0]) && simulator.addPerson(person[1], person[2], person[3], person[4])) {
                    added++;
                }
            }
        }
        return added;
    }

    private static void print(String title, List<RunResult> results) {
        System.out.printf("%n%s%n", title);
        System.out.printf("%-10s %-11s %9s %9s %9s %9s %9s %9s %8s%n", "source", "status", "fetched", "inserted", "updated",
                "unchanged", "deleted", "rejected", "seconds");
        for (RunResult r : results) {
            var c = r.counts();
            System.out.printf(Locale.ROOT, "%-10s %-11s %9d %9d %9d %9d %9d %9d %8.2f%n", r.source(),
                    r.status().name().toLowerCase(Locale.ROOT), c.fetched(), c.inserted(), c.updated(), c.unchanged(),
                    c.deleted(), c.rejected(), r.duration().toMillis() / 1000.0);
            if (r.error() != null) {
                System.out.println("  " + r.error());
            }
        }
    }

    /** The demo's own settings, read before Camel starts: system property, environment variable, then default. */
    private static String defaults(String key, String fallback) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(io.botsync.config.SettingsCheck.variable(key));
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteDatabase(Path path) {
        try {
            Files.createDirectories(path.getParent());
            for (String suffix : List.of(".mv.db", ".trace.db")) {
                Files.deleteIfExists(Path.of(path + suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the demo database " + path, e);
        }
    }
}
