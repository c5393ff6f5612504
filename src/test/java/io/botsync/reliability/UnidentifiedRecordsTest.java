package io.botsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.sim.stepchat.StepChatSimulator;
import io.botsync.sync.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full scan counts a user seen by the platform's own id of its record, as the reader read it, not by what the mapping
 * made of it: a record the mapping rejects, or leaves without an external_id, does not get its user flagged deleted.
 */
class UnidentifiedRecordsTest {

    private static final int USERS = 60;

    private PlatformSimulator sim;
    private Application app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"instabot", "stepchat", "mercury"})
    void aRecordTheMappingCannotIdentifyOrRejectsKeepsItsUserFromBeingFlaggedDeletedByAFullScan(String platform)
            throws IOException, SQLException {
        sim = switch (platform) {
            case "instabot" -> new InstabotSimulator(USERS, 61);
            case "stepchat" -> StepChatSimulator.start(USERS, 62);
            default -> new MercurySimulator(USERS, 63);
        };
        List<String> ids = twoIds();
        Path mappings = Files.createTempDirectory("botsync-mappings");
        String url = TestDatabases.freshH2();
        Map<String, String> properties = Warehouses.pointedAt(url, List.of(sim));
        properties.put("botsync.mappings.dir", mappings.toString());
        app = Application.start(properties);
        RunResult first = app.sync().sync(platform, true);
        assertEquals(RunResult.Status.SUCCEEDED, first.status(), first.summary());
        long live = Warehouses.count(url, "SELECT COUNT(*) FROM crm_user WHERE NOT deleted");
        assertEquals(first.counts().inserted(), live, first.summary());

        // from now on the mapping gives the first user no external_id and refuses the second with an error
        Files.writeString(mappings.resolve(platform + ".jslt"), unidentifying(platform, ids.get(0), ids.get(1)));
        RunResult scan = app.sync().sync(platform, true);

        assertEquals(RunResult.Status.SUCCEEDED, scan.status(), scan.summary());
        assertEquals(2, scan.counts().rejected(), scan.summary());
        assertEquals(0, scan.counts().deleted(), scan.summary());
        assertEquals(live, Warehouses.count(url, "SELECT COUNT(*) FROM crm_user WHERE NOT deleted"),
                "users whose records the mapping could not identify are still there on " + platform);
    }

    /** Two users' platform ids, as the mapping sees them (text). */
    private List<String> twoIds() {
        if (sim instanceof InstabotSimulator instabot) {
            return List.of(String.valueOf(instabot.liveIds().get(3)), String.valueOf(instabot.liveIds().get(40)));
        }
        if (sim instanceof StepChatSimulator stepchat) {
            List<Long> ids = stepchat.ids("visitor", "lead", "user");
            return List.of(String.valueOf(ids.get(3)), String.valueOf(ids.get(40)));
        }
        List<com.fasterxml.jackson.databind.node.ObjectNode> users = ((MercurySimulator) sim).renderAll();
        return List.of(users.get(3).get("userId").asText(), users.get(40).get("userId").asText());
    }

    /** The platform's shipped mapping, with its external_id made null for one id and an error for another. */
    private static String unidentifying(String platform, String noId, String refused) throws IOException {
        String mapping = Files.readString(Path.of("mappings", platform + ".jslt"));
        String id = switch (platform) {
            case "instabot" -> "string(.objectId)";
            case "stepchat" -> ".id";
            default -> "$id";
        };
        String shipped = switch (platform) {
            case "instabot" -> "\"external_id\": if (.objectId != null) string(.objectId),";
            case "stepchat" -> "\"external_id\": .id,";
            default -> "\"external_id\": $id,";
        };
        String changed = "\"external_id\": if (" + id + " == \"" + noId + "\") null else if (" + id + " == \"" + refused
                + "\") error(\"refused by the test's mapping\") else " + id + ",";
        String result = mapping.replace(shipped, changed);
        assertNotEquals(mapping, result, "the shipped mapping of " + platform + " still sets external_id as this test expects");
        return result;
    }
}
