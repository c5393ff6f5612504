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
        List<List<Object>> rejects = Warehouses.query(url, "SELECT external_id, reason, payload FROM rejected_record");
        assertEquals(CORRUPTED, rejects.size(), context);
        for (List<Object> reject : rejects) {
            assertTrue(reject.get(1) instanceof String reason && !reason.isBlank(), "a reason for " + reject + context);
            assertTrue(reject.get(0) == null || badIds.contains(reject.get(0)), "rejected only the corrupted: " + reject + context);
        }
    }
}
