package io.botsync.source.mercury;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.mapping.Mapping;
import io.botsync.mapping.Mappings;
import io.botsync.mapping.Normaliser;
import io.botsync.mapping.RejectedException;
import io.botsync.model.CanonicalUser;
import io.botsync.sim.mercury.MercurySimulator.Defect;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.SourceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole runs, as the pipeline will make them: each page's records mapped and normalised, upserted by content hash
 * with the page's cursor, rejects kept with their reason, and a completed full scan marking the users it did not see
 * as deleted (keeping a resumed scan's earlier "seen" users). {@link Warehouse} stands in for the H2 warehouse and
 * the sync pipeline, which are being built on main; end-to-end tests against them follow once they land.
 */
class MercuryScanTest {

    private final MercuryFixture fixture = new MercuryFixture(103, 42);

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aRerunWithoutChangesWritesNothing() {
        Warehouse warehouse = new Warehouse();
        assertEquals(103, warehouse.sync(fixture.reader("page-size", "10"), -1));
        assertEquals("{}", warehouse.cursor);

        assertEquals(0, warehouse.sync(fixture.reader("page-size", "10"), -1));
        assertEquals(103, warehouse.rows.size());
    }

    @Test
    void changedAddedAndDeletedUsersAreWhatTheNextRunWrites() {
        Warehouse warehouse = new Warehouse();
        warehouse.sync(fixture.reader("page-size", "10"), -1);
        fixture.sim.mutate(5, 3);
        String removed = fixture.sim.remove(17);

        assertEquals(5 + 3 + 1, warehouse.sync(fixture.reader("page-size", "10"), -1));
        assertTrue(warehouse.rows.get(removed).deleted());
        assertEquals(1, warehouse.rows.values().stream().filter(Row::deleted).count());
        assertEquals(106, warehouse.rows.size());
    }

    @ParameterizedTest(name = "startId inclusive: {0}")
    @ValueSource(booleans = {true, false})
    void aScanCrashedMidwayResumesAndEndsWithTheTableOfACleanRun(boolean inclusive) {
        fixture.sim.startIdInclusive(inclusive);
        Warehouse clean = new Warehouse();
        clean.sync(fixture.reader("page-size", "10"), -1);

        Warehouse crashed = new Warehouse();
        crashed.sync(fixture.reader("page-size", "10"), 4);
        assertTrue(crashed.cursor.startsWith("{\"startId\":"), crashed.cursor);
        assertTrue(crashed.rows.size() < 103);
        crashed.sync(fixture.reader("page-size", "10"), -1);

        assertEquals(clean.rows, crashed.rows);
        assertEquals("{}", crashed.cursor);
        assertFalse(crashed.rows.values().stream().anyMatch(Row::deleted));
    }

    @Test
    void aMalformedRecordIsRejectedWithItsReasonAndTheRestLands() {
        String broken = fixture.sim.corrupt(30, Defect.TIME_AS_NUMBER);
        Warehouse warehouse = new Warehouse();
        assertEquals(102, warehouse.sync(fixture.reader("page-size", "10"), -1));

        assertEquals(1, warehouse.rejected.size());
        String reason = warehouse.rejected.get(0);
        assertTrue(reason.startsWith(broken + ": mapping mappings/mercury.jslt failed: error: lastInteractionTime is not text: "), reason);
        assertFalse(warehouse.rows.containsKey(broken));
        assertEquals(102, warehouse.rows.size());
    }

    private record Row(String hash, boolean deleted) {
    }

    /** crm_user (by content hash), rejected_record and sync_state, reduced to what these tests look at. */
    private static final class Warehouse {

        private final Mapping mapping = new Mappings(Path.of("mappings")).forPlatform("mercury");
        private final Normaliser normaliser = new Normaliser();
        final Map<String, Row> rows = new TreeMap<>();
        final List<String> rejected = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        String cursor;

        /**
         * One run from the committed cursor; returns the rows written.
         *
         * @param crashAfter the number of pages committed before the process dies, or -1 to run to the end
         */
        int sync(SourceReader reader, int crashAfter) {
            Pass pass = reader.open(cursor, false);
            if (!pass.resumesScan()) {
                seen.clear();
            }
            int writes = 0;
            for (int pages = 0; pages != crashAfter; pages++) {
                Page page = pass.next();
                for (var record : page.records()) {
                    try {
                        CanonicalUser user = normaliser.normalise("mercury", mapping.apply(record));
                        seen.add(user.externalId());
                        Row row = new Row(user.contentHash(), false);
                        writes += row.equals(rows.put(user.externalId(), row)) ? 0 : 1;
                    } catch (RejectedException e) {
                        rejected.add(record.path("userId").asText() + ": " + e.getMessage());
                    }
                }
                cursor = page.cursor();
                if (page.last()) {
                    if (pass.fullScan()) {
                        for (var entry : rows.entrySet()) {
                            if (!seen.contains(entry.getKey()) && !entry.getValue().deleted()) {
                                entry.setValue(new Row(entry.getValue().hash(), true));
                                writes++;
                            }
                        }
                    }
                    break;
                }
            }
            return writes;
        }
    }
}
