package io.botsync.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sync.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code import} of StepChat CSV exports and NDJSON files into an H2 warehouse, no platform configured. */
class ImportTest {

    private static final String USERS = "SELECT external_id, email, phone, first_name, last_name, display_name, user_type,"
            + " locale, attributes FROM crm_user ORDER BY external_id";

    private final String url = TestDatabases.freshH2();
    private final Application app = Application.start(Map.of("botsync.warehouse.url", url));

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void aStepChatCsvWithQuotesCommasCyrillicAndABomIsImportedAndItsSecretsAreNot() throws Exception {
        Path csv = write("users.csv", "\uFEFFID,First Name,Last Name,Email,Type,Creation Time,Last Activity,Phone,Language,City,token,password\r\n"
                + "7,Иван,\"Петров, мл.\",Ivan@Example.RU,lead,2023-05-01 10:00:00,2023-05-12 14:28:57,+7 (912) 000-11-22,ru,\"Москва, \"\"Центр\"\"\",tok-secret-1,pw-secret-1\r\n"
                + "8,Anna,Smith,,user,2023-05-02 10:00:00,2023-05-13 09:00:00,,,\"two\nlines\",tok-secret-2,pw-secret-2\r\n");

        RunResult result = app.batch().importFile("stepchat", csv, null);

        assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
        assertEquals(2, result.counts().inserted(), result.summary());
        try (Connection db = app.warehouse().dataSource().getConnection()) {
            assertEquals(List.of(
                    List.of("7", "ivan@example.ru", "+79120001122", "Иван", "Петров, мл.", "Иван Петров, мл.", "lead", "ru",
                            "{\"city\":\"Москва, \\\"Центр\\\"\"}"),
                    java.util.Arrays.asList("8", null, null, "Anna", "Smith", "Anna Smith", "user", null,
                            "{\"city\":\"two\\nlines\"}")),
                    Warehouses.rows(db, USERS));
            assertEquals(List.of(List.of("import", "succeeded")), Warehouses.rows(db, "SELECT mode, status FROM sync_run"));
        }
        assertFalse(Warehouses.h2Dump(url).matches("(?s).*(tok|pw)-secret.*"), "no token or password in any table");
        try (Connection db = app.warehouse().dataSource().getConnection()) {
            List<List<String>> landed = Warehouses.rows(db, "SELECT id FROM raw_page");
            assertEquals(1, landed.size(), "the imported page is landed, for a replay");
            byte[] payload = Warehouses.bytes(db, "SELECT payload FROM raw_page");
            String records = new io.botsync.warehouse.RawPage(null, null, 2, payload).decode().toString();
            assertTrue(records.contains("Иван") && !records.contains("-secret-"), "landed without secrets: " + records);
        }
    }

    @Test
    void aBrokenNdjsonLineIsRejectedWithItsNumberAndTheSameFileAgainWritesNothing() throws Exception {
        Path ndjson = write("users.ndjson", """
                {"id":"21","first_name":"Olga","email":"olga@example.com","last_activity":"2023-05-12 14:28:57","token":"tok-a"}
                {"id":"22","first_name":"Broken","token":"tok-secret-b",
                [1, 2]

                {"id":"23","first_name":"Pavel","last_activity":"2023-05-12 14:28:58","password":"pw-c"}
                """);

        RunResult first = app.batch().importFile("stepchat", ndjson, null);

        assertEquals(RunResult.Status.SUCCEEDED, first.status(), first.summary());
        assertEquals(2, first.counts().inserted(), first.summary());
        assertEquals(2, first.counts().rejected(), first.summary());
        try (Connection db = app.warehouse().dataSource().getConnection()) {
            List<List<String>> rejected = Warehouses.rows(db, "SELECT reason, payload FROM rejected_record ORDER BY id");
            assertTrue(rejected.get(0).get(0).startsWith("line 2: not JSON"), rejected.toString());
            assertFalse(rejected.get(0).get(1).contains("tok-secret-b"), "a broken line's secrets are masked: " + rejected);
            assertTrue(rejected.get(1).get(0).startsWith("line 3: not a JSON object"), rejected.toString());
            assertEquals(List.of(List.of("21"), List.of("23")), Warehouses.rows(db, "SELECT external_id FROM crm_user ORDER BY 1"));
        }
        String before = Warehouses.h2DumpWithout(url, "sync_run");

        RunResult again = app.batch().importFile("stepchat", ndjson, null);

        assertEquals(RunResult.Status.SKIPPED, again.status(), again.summary());
        assertEquals("stepchat: skipped (users.ndjson: its content was imported by run 1; replay that run to map it again;"
                + " kept as run 2)", again.summary());
        assertEquals(before, Warehouses.h2DumpWithout(url, "sync_run"), "the same file again writes nothing but its run");
        try (Connection db = app.warehouse().dataSource().getConnection()) {
            assertEquals(List.of(List.of("2", "import", "skipped", "0", "0",
                    "users.ndjson: its content was imported by run 1; replay that run to map it again")), Warehouses.rows(db,
                    "SELECT id, mode, status, fetched, inserted, error FROM sync_run WHERE id > 1"));
            assertEquals(List.of(List.of("TRUE")), Warehouses.rows(db,
                    "SELECT started_at = finished_at FROM sync_run WHERE id = 2"), "a skip starts and finishes at once");
        }
    }

    @Test
    void theSameUsersInAnotherFileWriteNothingAndAJsonArrayBrokenMidwayFailsNamingTheLine() throws Exception {
        app.batch().importFile("stepchat", write("a.json", """
                [{"id":"31","first_name":"Lev","last_activity":"2023-05-12 14:28:57"},
                 {"id":"32","first_name":"Mila","last_activity":"2023-05-12 14:28:57"}]
                """), null);
        RunResult same = app.batch().importFile("stepchat", write("b.ndjson", """
                {"first_name":"Lev","id":"31","last_activity":"2023-05-12 14:28:57"}
                {"id":"32","first_name":"Mila","last_activity":"2023-05-12 14:28:57"}
                """), null);
        assertEquals(0, same.counts().written(), same.summary());
        assertEquals(2, same.counts().unchanged(), same.summary());

        RunResult broken = app.batch().importFile("stepchat", write("c.json", "[{\"id\":\"33\"},\n {\"id\": \n"), null);
        assertEquals(RunResult.Status.FAILED, broken.status(), broken.summary());
        assertTrue(broken.error().contains("line 3: broken JSON"), broken.error());
    }

    private static Path write(String name, String content) throws Exception {
        Path file = Files.createTempDirectory("botsync-import").resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
