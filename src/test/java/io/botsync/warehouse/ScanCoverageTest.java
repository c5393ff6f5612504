package io.botsync.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.botsync.TestDatabases;
import io.botsync.model.CanonicalUser;
import io.botsync.model.IdRange;
import io.botsync.warehouse.PageWrite.ScanStep;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full scan whose pages cover id ranges, then stop being in id order: the completion flags exactly the users no page
 * saw, whether a range or a scan_seen row stands for the seeing.
 */
class ScanCoverageTest {

    private static final String SOURCE = "mercury";
    private Warehouse warehouse;
    private String url;

    @AfterEach
    void close() {
        if (warehouse != null) {
            warehouse.close();
        }
    }

    private static CanonicalUser user(String id) {
        return new CanonicalUser(SOURCE, id, null, null, "Ann", "Lee", "Ann Lee", "general", "de",
                null, Instant.parse("2024-02-03T04:05:06Z"), "{}", id.repeat(32));
    }

    /** A scan page with the given platform ids, as users too, and the range it claims (null: not in id order). */
    private PageWrite page(long run, ScanStep step, IdRange range, String... ids) {
        List<CanonicalUser> users = java.util.Arrays.stream(ids).map(ScanCoverageTest::user).toList();
        return new PageWrite(run, SOURCE, ids.length, users, List.of(), "{}", step, null, false, List.of(ids), range);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aScanThatLeavesIdOrderMidwayFlagsExactlyTheUnseen(String kind) throws Exception {
        url = TestDatabases.fresh(kind);
        warehouse = Warehouse.open(url, TestDatabases.user(url), "");
        String[] all = IntStream.rangeClosed(1, 12).mapToObj(i -> String.format("%02d", i)).toArray(String[]::new);
        warehouse.write(page(warehouse.beginRun(SOURCE, "full"), ScanStep.NONE, null, all));

        warehouse.startScan(SOURCE);
        long run = warehouse.beginRun(SOURCE, "full");
        warehouse.write(page(run, ScanStep.SEEN, new IdRange(null, "04"), "01", "02", "04")); // 03 is gone
        warehouse.write(page(run, ScanStep.SEEN, null, "06", "05"));                          // out of order
        warehouse.write(page(run, ScanStep.SEEN, new IdRange("06", "09"), "08", "09"));     // ranges ended: 07 unseen
        PageCounts last = warehouse.write(page(run, ScanStep.COMPLETES, null, "12"));

        assertEquals(4, last.deleted());
        assertEquals(List.of(List.of("03"), List.of("07"), List.of("10"), List.of("11")), TestDatabases.rows(url,
                "SELECT external_id FROM crm_user WHERE deleted ORDER BY external_id"));
        assertEquals(List.of(List.of(0L)), TestDatabases.rows(url, "SELECT (SELECT COUNT(*) FROM scan_seen) + (SELECT COUNT(*) FROM scan_unseen)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aPageThatDoesNotFollowTheCoveredRangesCoversNothing(String kind) throws Exception {
        url = TestDatabases.fresh(kind);
        warehouse = Warehouse.open(url, TestDatabases.user(url), "");
        String[] all = IntStream.rangeClosed(1, 9).mapToObj(i -> String.format("%02d", i)).toArray(String[]::new);
        warehouse.write(page(warehouse.beginRun(SOURCE, "full"), ScanStep.NONE, null, all));

        warehouse.startScan(SOURCE);
        long run = warehouse.beginRun(SOURCE, "full");
        warehouse.write(page(run, ScanStep.SEEN, new IdRange(null, "03"), "01", "02", "03"));
        // claims to follow "04", not "03": a gap the ranges must not jump (04 was never seen)
        warehouse.write(page(run, ScanStep.SEEN, new IdRange("04", "06"), "05", "06"));
        PageCounts last = warehouse.write(page(run, ScanStep.COMPLETES, new IdRange("06", null), "07", "08", "09"));

        assertEquals(1, last.deleted());
        assertEquals(List.of(List.of("04")), TestDatabases.rows(url, "SELECT external_id FROM crm_user WHERE deleted"));
    }
}
