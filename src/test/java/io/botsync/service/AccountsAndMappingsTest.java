package io.botsync.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ops change botsync by editing files: a second account is a few lines of YAML, a mapping edit lands on the next run. */
class AccountsAndMappingsTest {

    private final ServiceFixture service = new ServiceFixture();

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void aSecondInstabotAccountHasItsOwnRowsAndCursor() {
        try (InstabotSimulator main = new InstabotSimulator(90, 3); InstabotSimulator eu = new InstabotSimulator(60, 9)) {
            Path accounts = service.routes.resolve("accounts.yaml");
            service.write(accounts, ServiceFixture.read(accounts) + """

                    - templatedRoute:
                        routeTemplateRef: sync-account
                        routeId: sync-instabot-eu
                        parameters:
                          - name: account
                            value: instabot-eu
                          - name: platform
                            value: instabot
                          - name: cron
                            value: "{{botsync.instabot-eu.cron}}"
                    """);
            service.properties.putAll(main.sourceProperties("instabot"));
            service.properties.putAll(eu.sourceProperties("instabot-eu"));
            service.properties.put("botsync.instabot.cron", ServiceFixture.EVERY_SECOND);
            service.properties.put("botsync.instabot-eu.cron", ServiceFixture.EVERY_SECOND);
            service.start();

            ServiceFixture.await("both accounts synced", () ->
                    service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'instabot'") == 90
                            && service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'instabot-eu'") == 60);
            eu.mutate(0, 5);
            ServiceFixture.await("the EU account's new users", () ->
                    service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'instabot-eu'") == 65);

            assertEquals(90, service.count("SELECT COUNT(*) FROM crm_user WHERE source = 'instabot'"));
            List<List<Object>> cursors = service.query("SELECT source, cursor FROM sync_state ORDER BY source");
            assertEquals(List.of("instabot", "instabot-eu"), cursors.stream().map(r -> r.get(0)).toList());
            assertNotEquals(cursors.get(0).get(1), cursors.get(1).get(1), "each account has its own cursor");
            assertTrue(service.metric("botsync_users_written_total", "instabot-eu") >= 65, service.botsyncMetrics());
        }
    }

    @Test
    void aMappingEditLandsOnTheNextRunAndARecordWithoutIdIsRejectedAlone() {
        try (MercurySimulator mercury = new MercurySimulator(80, 5)) {
            Path mapping = service.mappings.resolve("mercury.jslt");
            String shipped = ServiceFixture.read(Path.of("mappings", "mercury.jslt"));
            service.write(mapping, shipped);
            service.properties.putAll(mercury.sourceProperties("mercury"));
            service.properties.put("botsync.mercury.cron", ServiceFixture.EVERY_SECOND);
            // Below, records the mapping cannot identify cannot count as seen by Mercury's full scan, so their users
            // would be flagged deleted, which the mass-delete gate rightly refuses; this test is about rejection.
            service.properties.put("botsync.mercury.mass-delete-share", "100%");
            service.start();
            ServiceFixture.await("the first run", () -> service.count("SELECT COUNT(*) FROM crm_user") == 80);
            Map<String, String> companies = new TreeMap<>();
            for (ObjectNode user : mercury.renderAll()) {
                companies.put(user.get("userId").asText(), user.path("properties").path("user.company").asText(null));
            }
            assertNotEquals(companies, displayNames(), "the shipped mapping joins first and last name");

            // ops take display_name from the user.company context parameter instead
            String edited = shipped.replace("\"display_name\": if ($joined != \"\") $joined,",
                    "\"display_name\": get-key($props, \"user.company\"),");
            assertNotEquals(shipped, edited);
            service.write(mapping, edited);
            ServiceFixture.await("display_name is the company", () -> companies.equals(displayNames()));

            // a mapping that gives some records no external_id: those are rejected, the others land, the runs succeed
            service.write(mapping, edited.replace("\"external_id\": $id,",
                    "\"external_id\": if (get-key($props, \"user.newsletter\")) $id,"));
            ServiceFixture.await("a succeeded run that rejected records without an id", () -> service.count(
                    "SELECT COUNT(*) FROM sync_run WHERE status = 'succeeded' AND rejected > 0") > 0);
            assertTrue(service.count("SELECT COUNT(*) FROM rejected_record WHERE reason = 'no external_id'") > 0);
            assertEquals(80, service.count("SELECT COUNT(*) FROM crm_user"), "the rows already there stay");
        }
    }

    private Map<String, String> displayNames() {
        Map<String, String> names = new TreeMap<>();
        service.query("SELECT external_id, display_name FROM crm_user").forEach(r -> names.put((String) r.get(0), (String) r.get(1)));
        return names;
    }
}
