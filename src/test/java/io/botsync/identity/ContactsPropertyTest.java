package io.botsync.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.botsync.TestDatabases;
import io.botsync.model.CanonicalUser;
import io.botsync.warehouse.PageWrite;
import io.botsync.warehouse.PageWrite.ScanStep;
import io.botsync.warehouse.Warehouse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of inserts, updates (emails and phones that merge and split contacts), deletions (by full scans)
 * and restores across three sources, written through the warehouse as pages are: after every step the contacts the
 * page transactions kept equal what a rebuild from crm_user computes (it finds nothing to write), and the groups equal
 * what this test's own plain search over the users finds. The seed is in every failure message.
 */
class ContactsPropertyTest {

    private static final List<String> SOURCES = List.of("instabot", "stepchat", "mercury");
    private static final List<String> EMAILS = List.of("ann@x.io", "Ann@X.io", "bob@x.io", "cy@x.io", "dee@x.io",
            "info@x.io", "eve@x.io");
    /** As crm_user holds phones (digits, optional +): the same Russian number written three ways, one that never parses. */
    private static final List<String> PHONES = List.of("+79191231212", "89191231212", "79191231212", "+79161112233",
            "89161112233", "+4915112345678", "+10000000000", "12");
    private static final IdentitySettings SETTINGS = new IdentitySettings(true, "RU", List.of("info@", "+10000000000"), 3,
            SOURCES);
    private static final int STEPS = 70;

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    /** The users as the platforms hold them: source -> id -> user; deleted ones in {@link #deleted}. */
    private final Map<String, Map<String, CanonicalUser>> users = new LinkedHashMap<>();
    private final Set<String> deleted = new HashSet<>();

    {
        SOURCES.forEach(source -> users.put(source, new LinkedHashMap<>()));
    }
    private int nextId;
    private long clock = 1_700_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void incrementalContactsEqualARebuildAfterEveryStep(String kind) throws Exception {
        String url = TestDatabases.fresh(kind);
        Contacts contacts = new Contacts(SETTINGS);
        try (Warehouse warehouse = Warehouse.open(url, TestDatabases.user(url), "")) {
            warehouse.onUserChanges(contacts);
            for (int step = 0; step < STEPS; step++) {
                String did = step(warehouse);
                String where = " after step " + step + " (" + did + "), seed " + seed + ", " + kind;
                assertEquals(expectedGroups(), storedGroups(url), "contacts as a plain search finds them" + where);
                assertEquals(expectedEmails(), storedEmails(url), "each contact's email by source priority" + where);
                Contacts.RebuildResult rebuild = warehouse.underWriterLock(c -> contacts.rebuild(c, OffsetDateTime.now()));
                assertEquals(0, rebuild.membersWritten() + rebuild.contactsWritten(),
                        "a rebuild finds nothing to change: " + rebuild + where);
                assertEquals(List.of(), TestDatabases.rows(url, """
                        SELECT c.id, c.member_count, COUNT(m.source) FROM contact c LEFT JOIN contact_member m ON m.contact_id = c.id
                        GROUP BY c.id, c.member_count, c.deleted HAVING c.member_count <> COUNT(m.source)
                            OR c.deleted <> (COUNT(m.source) = 0)"""), "member counts and deleted flags" + where);
                assertEquals(List.of(), TestDatabases.rows(url, """
                        SELECT c.id FROM contact c LEFT JOIN contact t ON t.id = c.merged_into
                        WHERE c.merged_into IS NOT NULL AND (t.id IS NULL OR NOT c.deleted)"""), "merged contacts" + where);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRebuildOfUsersWrittenWithoutContactsEqualsThePlainSearch(String kind) throws Exception {
        String url = TestDatabases.fresh(kind);
        Contacts contacts = new Contacts(SETTINGS);
        try (Warehouse warehouse = Warehouse.open(url, TestDatabases.user(url), "")) {
            for (int step = 0; step < STEPS; step++) {
                step(warehouse); // no contacts kept meanwhile, as before an upgrade
            }
            String where = " (seed " + seed + ", " + kind + ")";
            Contacts.RebuildResult first = warehouse.underWriterLock(c -> contacts.rebuild(c, OffsetDateTime.now()));
            assertEquals(liveUsers().size(), first.membersWritten(), "a member row for every live user" + where);
            assertEquals(expectedGroups(), storedGroups(url), "contacts as a plain search finds them" + where);
            assertEquals(expectedEmails(), storedEmails(url), "each contact's email by source priority" + where);
            Contacts.RebuildResult again = warehouse.underWriterLock(c -> contacts.rebuild(c, OffsetDateTime.now()));
            assertEquals(0, again.membersWritten() + again.contactsWritten(), "a second rebuild changes nothing" + where);
        }
    }

    /** One random change, written as the warehouse gets it; says what it did. */
    private String step(Warehouse warehouse) {
        String source = SOURCES.get(random.nextInt(SOURCES.size()));
        Map<String, CanonicalUser> ofSource = users.get(source);
        List<String> live = ofSource.keySet().stream().filter(id -> !deleted.contains(source + "/" + id)).toList();
        List<String> gone = ofSource.keySet().stream().filter(id -> deleted.contains(source + "/" + id)).toList();
        int choice = random.nextInt(10);
        long run = warehouse.beginRun(source, "incremental");
        if (choice < 2 && live.size() > 1) { // a full scan that misses one or two users: they are flagged deleted
            List<String> missing = live.subList(0, 1 + random.nextInt(Math.min(2, live.size() - 1)));
            missing.forEach(id -> deleted.add(source + "/" + id));
            List<CanonicalUser> seen = live.stream().filter(id -> !missing.contains(id)).map(ofSource::get).toList();
            warehouse.startScan(source);
            warehouse.write(new PageWrite(run, source, seen.size(), seen, List.of(), null, ScanStep.COMPLETES));
            return "deleted " + source + " " + missing;
        }
        if (choice < 3 && !gone.isEmpty()) {
            String id = gone.get(random.nextInt(gone.size()));
            deleted.remove(source + "/" + id);
            write(warehouse, run, source, List.of(ofSource.get(id)));
            return "restored " + source + "/" + id;
        }
        List<CanonicalUser> page = new ArrayList<>();
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            if (live.isEmpty() || random.nextInt(3) == 0) {
                page.add(user(source, String.valueOf(nextId++)));
            } else {
                page.add(user(source, live.get(random.nextInt(live.size()))));
            }
        }
        page.forEach(user -> ofSource.put(user.externalId(), user));
        write(warehouse, run, source, page);
        return "wrote " + page.stream().map(u -> source + "/" + u.externalId() + " " + u.email() + " " + u.phone()).toList();
    }

    private static void write(Warehouse warehouse, long run, String source, List<CanonicalUser> page) {
        warehouse.write(new PageWrite(run, source, page.size(), page, List.of(), null, ScanStep.NONE));
    }

    private CanonicalUser user(String source, String id) {
        String email = random.nextInt(5) == 0 ? null : EMAILS.get(random.nextInt(EMAILS.size()));
        String phone = random.nextInt(3) == 0 ? null : PHONES.get(random.nextInt(PHONES.size()));
        String name = random.nextInt(4) == 0 ? null : "N" + random.nextInt(5);
        clock += 60;
        return new CanonicalUser(source, id, email, phone, name, null, name, "user", "en", Instant.ofEpochSecond(clock - 86_400),
                Instant.ofEpochSecond(clock), "{}", Integer.toHexString(random.nextInt()) + "0".repeat(56));
    }

    // --- the oracle: the rules applied by a plain search over the live users ---

    private List<CanonicalUser> liveUsers() {
        return users.values().stream().flatMap(m -> m.values().stream())
                .filter(u -> !deleted.contains(u.source() + "/" + u.externalId())).toList();
    }

    private static String emailKey(CanonicalUser user) {
        String key = user.email() == null ? null : user.email().strip().toLowerCase(java.util.Locale.ROOT);
        return key == null || key.startsWith("info@") ? null : key;
    }

    private static String phoneKey(CanonicalUser user) {
        if (user.phone() == null) {
            return null;
        }
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            var number = util.parse(user.phone(), "RU");
            String key = util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
            return !util.isPossibleNumber(number) || key.equals("+10000000000") ? null : key;
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** The groups of live users, each a sorted set of source/id, found by following shared keys. */
    private Set<Set<String>> expectedGroups() {
        List<CanonicalUser> live = liveUsers();
        Map<String, Long> emailHolders = live.stream().map(ContactsPropertyTest::emailKey).filter(k -> k != null)
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        Map<String, Long> phoneHolders = live.stream().map(ContactsPropertyTest::phoneKey).filter(k -> k != null)
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        Set<Set<String>> groups = new HashSet<>();
        Set<CanonicalUser> placed = new HashSet<>();
        for (CanonicalUser start : live) {
            if (!placed.add(start)) {
                continue;
            }
            Set<String> group = new TreeSet<>();
            List<CanonicalUser> queue = new ArrayList<>(List.of(start));
            while (!queue.isEmpty()) {
                CanonicalUser user = queue.remove(queue.size() - 1);
                group.add(user.source() + "/" + user.externalId());
                for (CanonicalUser other : live) {
                    if (!placed.contains(other) && (matches(emailKey(user), emailKey(other), emailHolders)
                            || matches(phoneKey(user), phoneKey(other), phoneHolders))) {
                        placed.add(other);
                        queue.add(other);
                    }
                }
            }
            groups.add(group);
        }
        return groups;
    }

    private static boolean matches(String key, String otherKey, Map<String, Long> holders) {
        return key != null && key.equals(otherKey) && holders.get(key) <= SETTINGS.maxGroupSize();
    }

    /** Each expected group's email: the first non-blank by source priority, then the member updated last. */
    private Map<Set<String>, String> expectedEmails() {
        Map<String, CanonicalUser> byName = new HashMap<>();
        liveUsers().forEach(u -> byName.put(u.source() + "/" + u.externalId(), u));
        Map<Set<String>, String> emails = new HashMap<>();
        for (Set<String> group : expectedGroups()) {
            emails.put(group, group.stream().map(byName::get).filter(u -> emailKey(u) != null || u.email() != null)
                    .min(Comparator.<CanonicalUser>comparingInt(u -> SOURCES.indexOf(u.source()))
                            .thenComparing(CanonicalUser::updatedAt, Comparator.reverseOrder()))
                    .map(u -> u.email().strip().toLowerCase(java.util.Locale.ROOT)).orElse(null));
        }
        return emails;
    }

    private static Set<Set<String>> storedGroups(String url) throws Exception {
        Map<Object, Set<String>> byContact = new HashMap<>();
        for (List<Object> row : TestDatabases.rows(url, "SELECT contact_id, source, external_id FROM contact_member")) {
            byContact.computeIfAbsent(row.get(0), k -> new TreeSet<>()).add(row.get(1) + "/" + row.get(2));
        }
        return new HashSet<>(byContact.values());
    }

    private static Map<Set<String>, String> storedEmails(String url) throws Exception {
        Map<Object, Set<String>> byContact = new HashMap<>();
        Map<Object, String> email = new HashMap<>();
        for (List<Object> row : TestDatabases.rows(url, "SELECT m.contact_id, m.source, m.external_id, c.email "
                + "FROM contact_member m JOIN contact c ON c.id = m.contact_id")) {
            byContact.computeIfAbsent(row.get(0), k -> new TreeSet<>()).add(row.get(1) + "/" + row.get(2));
            email.put(row.get(0), (String) row.get(3));
        }
        Map<Set<String>, String> result = new HashMap<>();
        byContact.forEach((id, group) -> result.put(group, email.get(id)));
        return result;
    }
}
