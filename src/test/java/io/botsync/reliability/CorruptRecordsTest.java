package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.RoutesWithSteps;
import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sim.mercury.MercurySimulator.Defect;
import io.botsync.sync.RunResult;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomised corruption: many records of a platform broken in every way the simulator knows (missing or mistyped
 * ids, mistyped fields, unparseable dates, very long strings, invalid UTF-8, null in place of a user). Each bad
 * record is rejected with a reason; every good one lands, whatever page it shares with bad ones, with ops' kind of
 * steps between the sync route's stages ({@link RoutesWithSteps}).
 */
class CorruptRecordsTest {

    private static final int USERS = 800;
    private static final int CORRUPTED = 240;

    private final MercurySimulator sim = new MercurySimulator(USERS, 51);
    private Application app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void everyCorruptedRecordIsRejectedWithAReasonAndTheRestOfItsPageLands(String kind) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Defect[] defects = Defect.values();
        Map<Integer, Defect> corrupted = new HashMap<>();
        while (corrupted.size() < CORRUPTED) {
            corrupted.putIfAbsent(random.nextInt(USERS), defects[random.nextInt(defects.length)]);
        }
        Set<String> badIds = new HashSet<>();
        Map<Defect, Integer> perDefect = new EnumMap<>(Defect.class);
        corrupted.forEach((index, defect) -> {
            badIds.add(sim.corrupt(index, defect));
            perDefect.merge(defect, 1, Integer::sum);
        });
        String context = " (seed " + seed + ", " + perDefect + ")";

        String url = TestDatabases.fresh(kind);
        Map<String, String> properties = Warehouses.pointedAt(url, List.of(sim));
        properties.put("botsync.routes.dir", RoutesWithSteps.create(Files.createTempDirectory("botsync-tap")).toString());
        properties.put("botsync.mercury.page-size", "40");
        app = Application.start(properties);
        RunResult result = app.sync().sync("mercury", false);

        assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary() + context);
        assertEquals(CORRUPTED, result.counts().rejected(), context);
        assertEquals(USERS - CORRUPTED, result.counts().inserted(), context);
        Set<String> landed = Warehouses.query(url, "SELECT external_id FROM crm_user").stream()
                .map(row -> (String) row.get(0)).collect(Collectors.toSet());
        assertEquals(USERS - CORRUPTED, landed.size(), context);
        assertTrue(landed.stream().noneMatch(badIds::contains), "no corrupted record landed" + context);
        List<List<Object>> rejects = Warehouses.query(url, "SELECT external_id, reason, payload, seen_count FROM rejected_record");
        // records without an id are known by their payload: the nulls in place of a user are one record seen as often
        assertEquals(CORRUPTED, rejects.stream().mapToLong(reject -> ((Number) reject.get(3)).longValue()).sum(), context);
        for (List<Object> reject : rejects) {
            assertTrue(reject.get(1) instanceof String reason && !reason.isBlank(), "a reason for " + reject + context);
            assertTrue(reject.get(0) == null || badIds.contains(reject.get(0)), "rejected only the corrupted: " + reject + context);
        }
    }

    /**
     * A bad record read by every run is one rejected_record row that counts the runs, and is resolved once it lands;
     * a record without an id, known by its payload, once a completed scan no longer finds it bad.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aBadRecordKeepsOneRowAcrossRunsAndIsResolvedOnceItLands(String kind) throws Exception {
        String withoutId = sim.corrupt(10, Defect.NO_USER_ID);
        String badTime = sim.corrupt(20, Defect.UNPARSEABLE_TIME);
        String longName = sim.corrupt(30, Defect.LONG_NAME);
        String url = TestDatabases.fresh(kind);
        app = Application.start(Warehouses.pointedAt(url, List.of(sim)));
        String rows = "SELECT external_id, record_key, seen_count, resolved_at IS NOT NULL FROM rejected_record ORDER BY external_id";

        for (int run = 1; run <= 4; run++) {
            RunResult result = app.sync().sync("mercury", false);
            assertEquals(3, result.counts().rejected(), "run " + run + ": " + result.summary());
        }
        List<List<Object>> rejects = Warehouses.query(url, rows);
        assertEquals(3, rejects.size(), rejects.toString());
        assertTrue(rejects.stream().allMatch(reject -> ((Number) reject.get(2)).longValue() == 4 && Boolean.FALSE.equals(reject.get(3))),
                rejects.toString());
        assertTrue(rejects.stream().anyMatch(reject -> reject.get(0) == null
                && ((String) reject.get(1)).startsWith("sha256:")), "the record without an id is known by its payload: " + rejects);
        assertTrue(Set.of(badTime, longName).equals(rejects.stream().map(reject -> reject.get(0)).filter(id -> id != null)
                .collect(Collectors.toSet())), rejects.toString());

        sim.repair(20);
        sim.repair(10);
        RunResult repaired = app.sync().sync("mercury", false);

        assertEquals(1, repaired.counts().rejected(), repaired.summary());
        Map<Object, List<Object>> byId = new HashMap<>();
        Warehouses.query(url, rows).forEach(reject -> byId.put(reject.get(0) == null ? "none" : reject.get(0), reject));
        assertEquals(true, byId.get(badTime).get(3), "landed, so resolved: " + byId);
        assertEquals(true, byId.get("none").get(3), "no longer bad in a completed scan, so resolved: " + byId);
        assertEquals(false, byId.get(longName).get(3), "still bad: " + byId);
        assertEquals(5L, ((Number) byId.get(longName).get(2)).longValue(), byId.toString());
        assertEquals(2L, Warehouses.count(url, "SELECT COUNT(*) FROM crm_user WHERE external_id IN ('" + badTime + "', '"
                + withoutId + "')"), "both repaired records landed");
    }
}
