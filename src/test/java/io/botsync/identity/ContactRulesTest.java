package io.botsync.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.botsync.TestDatabases;
import io.botsync.model.CanonicalUser;
import io.botsync.warehouse.PageWrite;
import io.botsync.warehouse.PageWrite.ScanStep;
import io.botsync.warehouse.Warehouse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documented rules, one scenario each: ids across merges and splits, survivorship, blocked values, regions. */
class ContactRulesTest {

    private static final IdentitySettings SETTINGS = new IdentitySettings(true, "RU", List.of("info@", "+10000000000"), 20,
            List.of("stepchat", "instabot"));

    private String url;
    private Warehouse warehouse;
    private long clock = 1_700_000_000L;

    private void open(String kind) {
        url = TestDatabases.fresh(kind);
        warehouse = Warehouse.open(url, TestDatabases.user(url), "");
        warehouse.onUserChanges(new Contacts(SETTINGS));
    }

    private void write(CanonicalUser... users) {
        String source = users[0].source();
        warehouse.write(new PageWrite(warehouse.beginRun(source, "incremental"), source, users.length, List.of(users), List.of(),
                null, ScanStep.NONE));
    }

    private CanonicalUser user(String source, String id, String email, String phone, String name) {
        clock += 60;
        return new CanonicalUser(source, id, email, phone, name, null, name, "user", null, Instant.ofEpochSecond(clock - 3600),
                Instant.ofEpochSecond(clock), "{}", Long.toHexString(clock) + "0".repeat(56));
    }

    private List<List<Object>> rows(String sql) throws Exception {
        return TestDatabases.rows(url, sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void mergesKeepTheOldestIdAndSplitsGiveTheOtherPartANewOne(String kind) throws Exception {
        open(kind);
        write(user("instabot", "a", "ann@x.io", null, "Ann"));
        write(user("stepchat", "b", "bob@x.io", "89191231212", "Bob"));
        assertEquals(List.of(List.of(1L, "instabot", "a"), List.of(2L, "stepchat", "b")),
                rows("SELECT contact_id, source, external_id FROM contact_member ORDER BY contact_id"));

        // c shares Ann's email and Bob's phone (written with its country code): one person, the oldest id survives
        write(user("instabot", "c", "ANN@x.io", "+79191231212", "Cy"));
        assertEquals(List.of(List.of(1L, "email"), List.of(1L, "email"), List.of(1L, "phone")),
                rows("SELECT contact_id, matched_on FROM contact_member ORDER BY source, external_id"));
        assertEquals(List.of(java.util.Arrays.asList(1L, false, null, 3L), List.of(2L, true, 1L, 0L)),
                rows("SELECT id, deleted, merged_into, member_count FROM contact ORDER BY id"));

        // c drops its phone: Bob leaves; the part with the oldest member (Ann) keeps 1, Bob gets a new id, never 2
        write(user("instabot", "c", "ann@x.io", null, "Cy"));
        assertEquals(List.of(List.of("instabot", "a", 1L), List.of("instabot", "c", 1L), List.of("stepchat", "b", 3L)),
                rows("SELECT source, external_id, contact_id FROM contact_member ORDER BY source, external_id"));
        // a merged contact's event comes before its survivor's, so a target keyed by email ends holding the survivor
        assertEquals(List.of(List.of(1L, "inserted"), List.of(2L, "inserted"), List.of(2L, "merged"), List.of(1L, "updated"),
                        List.of(1L, "updated"), List.of(3L, "inserted")),
                rows("SELECT contact_id, kind FROM contact_change ORDER BY id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void fieldsComeFromThePrioritySourceThenTheMemberUpdatedLast(String kind) throws Exception {
        open(kind);
        write(user("instabot", "1", "ann@x.io", "+79191231212", "Instabot Ann"));
        write(user("stepchat", "2", "ann@x.io", null, null));
        write(user("stepchat", "3", "ann@x.io", null, "Newest StepChat Ann"));
        assertEquals(List.of(List.of("ann@x.io", "+79191231212", "Newest StepChat Ann", 3L)),
                rows("SELECT email, phone, first_name, member_count FROM contact WHERE NOT deleted"));
        assertEquals(List.of(List.of("{\"email\":\"stepchat/3\",\"phone\":\"instabot/1\",\"first_name\":\"stepchat/3\","
                + "\"display_name\":\"stepchat/3\"}")), rows("SELECT field_sources FROM contact WHERE NOT deleted"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void blockedValuesAndNumbersThatDoNotParseMatchNothing(String kind) throws Exception {
        open(kind);
        write(user("instabot", "1", "info@shop.io", "+10000000000", "A"), user("instabot", "2", "info@shop.io", "+10000000000", "B"),
                user("instabot", "3", null, "12", "C"), user("instabot", "4", null, "12", "D"));
        assertEquals(List.of(List.of(4L)), rows("SELECT COUNT(DISTINCT contact_id) FROM contact_member"));
        assertEquals(List.of(List.of("none"), List.of("none"), List.of("none"), List.of("none")),
                rows("SELECT matched_on FROM contact_member"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void deletedUsersLeaveTheirContactAndAnEmptyContactIsDeleted(String kind) throws Exception {
        open(kind);
        write(user("instabot", "1", "ann@x.io", null, "A"), user("instabot", "2", "ann@x.io", null, "B"));
        long run = warehouse.beginRun("instabot", "full");
        warehouse.startScan("instabot");
        warehouse.write(new PageWrite(run, "instabot", 0, List.of(), List.of(), null, ScanStep.COMPLETES,
                null, false));
        assertEquals(List.of(), rows("SELECT * FROM contact_member"));
        assertEquals(List.of(List.of(1L, true, 0L)), rows("SELECT id, deleted, member_count FROM contact"));
    }
}
