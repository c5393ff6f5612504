package io.botsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.config.KnownKeys;
import io.botsync.config.PropertiesFile;
import io.botsync.config.SettingsCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting is checked once at start-up, before the warehouse is touched: a bad value or an unknown key exits 2
 * naming the key, the value, where it was set and the fix, with no stack trace, and leaves no database behind.
 */
class SettingsCheckTest {

    @TempDir
    Path dir;
    private Path database;

    @BeforeEach
    void warehouse() {
        database = dir.resolve("warehouse");
        System.setProperty("botsync.warehouse.url", "jdbc:h2:file:" + database);
    }

    @AfterEach
    void clear() {
        System.clearProperty("botsync.warehouse.url");
        System.clearProperty("botsync.instabot.pagesize");
    }

    private CommandLineRun status(String properties) throws IOException {
        return status(properties.getBytes(StandardCharsets.ISO_8859_1));
    }

    private CommandLineRun status(byte[] properties) throws IOException {
        return command("status", properties);
    }

    private CommandLineRun command(String command, byte[] properties) throws IOException {
        Path file = Files.write(dir.resolve("botsync.properties"), properties);
        CommandLineRun run = CommandLineRun.of(command, "--config", file.toString());
        if (run.exitCode() == 2) {
            assertFalse(Files.exists(Path.of(database + ".mv.db")), "a start-up that fails creates no warehouse");
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        }
        return run;
    }

    @Test
    void aValueOfTheWrongKindNamesTheKeyTheValueTheLineAndTheFix() throws IOException {
        CommandLineRun run = status("# mine\nbotsync.instabot.page-size = abc\n");

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("botsync.instabot.page-size is 'abc' (" + dir.resolve("botsync.properties")
                + " line 2): set it to a whole number, 1 or more (BOTSYNC_INSTABOT_PAGE_SIZE)"), run.err());
    }

    @Test
    void aDurationCamelWouldReadAsZeroIsRefused() throws IOException {
        CommandLineRun run = status("botsync.instabot.lookback=forever\n");

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("botsync.instabot.lookback is 'forever'"), run.err());
        assertTrue(run.err().contains("a duration such as 90s, 10m or 1h30m"), run.err());
    }

    @Test
    void aLineOfRandomBytesIsNamedWithItsLine() throws IOException {
        byte[] junk = {'b', 'o', 't', 's', 'y', 'n', 'c', '.', 'x', '=', '1', '\n', (byte) 0x8F, 0x12, 'k', (byte) 0xFF, '\n'};
        CommandLineRun run = status(junk);

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("line 2: '\\u008F\\u0012k\\u00FF' is not a key"), run.err());
        assertTrue(run.err().contains("line 1: botsync.x is not a setting botsync knows"), run.err());
    }

    @Test
    void anUnknownKeySuggestsTheNearestKnownOne() throws IOException {
        CommandLineRun run = status("botsync.instabot.page_size = 50\nbotsync.mercury.api_key = k\n");

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("line 1: botsync.instabot.page_size is not a setting botsync knows:"
                + " did you mean botsync.instabot.page-size?"), run.err());
        assertTrue(run.err().contains("line 2: botsync.mercury.api_key is not a setting botsync knows:"
                + " did you mean botsync.mercury.api-key?"), run.err());
    }

    @Test
    void aKeySetTwiceAndAByteOrderMarkAreNamed() throws IOException {
        byte[] text = "\uFEFFbotsync.instabot.cron = 0 0 * * * ?\nbotsync.instabot.cron = 0 5 * * * ?\n".getBytes(StandardCharsets.UTF_8);
        CommandLineRun run = status(text);

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("line 1: the file starts with a UTF-8 byte order mark"), run.err());
        assertTrue(run.err().contains("line 2: botsync.instabot.cron is set again (first on line 1): keep one"), run.err());
    }

    @Test
    void aKeyOfAnAccountIsKnownAndCheckedAsItsPlatformsKeys() throws IOException {
        CommandLineRun run = status("botsync.accounts = shop2\nbotsync.shop2.platform = instabot\n"
                + "botsync.shop2.page-size = 20\nbotsync.shop2.cron = every minute\n");

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("botsync.shop2.cron is 'every minute'"), run.err());
        assertFalse(run.err().contains("page-size"), run.err());
    }

    @Test
    void anUnknownSystemPropertyIsNamedAsOne() throws IOException {
        System.setProperty("botsync.instabot.pagesize", "5");
        CommandLineRun run = status("");

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("-Dbotsync.instabot.pagesize: botsync.instabot.pagesize is not a setting botsync"
                + " knows: did you mean botsync.instabot.page-size?"), run.err());
    }

    @Test
    void goodSettingsStartAsBefore() throws IOException {
        CommandLineRun run = command("sync", ("# CRLF lines, continued values and every kind set right\r\n"
                + "botsync.instabot.page-size = 50\r\nbotsync.instabot.lookback = 1h30m\r\nbotsync.mass-delete-share = 30%\r\n"
                + "botsync.stepchat.user-types = visitor,\\\r\n   lead\r\nbotsync.push.crm.from = now\r\n"
                + "camel.main.shutdown-timeout = 5\r\n").getBytes(StandardCharsets.ISO_8859_1));

        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void aConfigFileThatIsNotThereIsBadUsage() {
        CommandLineRun run = CommandLineRun.of("status", "--config", dir.resolve("nope.properties").toString());

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--config " + dir.resolve("nope.properties") + ": no such file"), run.err());
    }

    @Test
    void anUnknownEnvironmentVariableSuggestsTheNearestKey() throws IOException {
        SettingsCheck check = new SettingsCheck(knownKeys(), key -> null)
                .environment(Set.of("BOTSYNC_INSTABOT_API_KEY", "BOTSYNC_INSTABOT_APIKEY", "BOTSYNC_LOG_LEVEL", "HOME"));

        assertEquals(List.of("the environment variable BOTSYNC_INSTABOT_APIKEY is not a setting botsync knows: did you"
                + " mean BOTSYNC_INSTABOT_API_KEY (botsync.instabot.api-key)?"), check.problems());
    }

    @Test
    void theLogFormatIsTextOrJson() throws IOException {
        assertEquals(List.of(), new SettingsCheck(knownKeys(), key -> null).environment(Set.of("BOTSYNC_LOG_FORMAT"))
                .logFormat("json").problems());
        assertEquals(List.of("BOTSYNC_LOG_FORMAT is 'xml': set it to text or json"),
                new SettingsCheck(knownKeys(), key -> null).logFormat("xml").problems());
    }

    private static KnownKeys knownKeys() throws IOException {
        try (InputStream in = SettingsCheckTest.class.getResourceAsStream("/application.properties")) {
            return new KnownKeys(PropertiesFile.parse("application.properties", in.readAllBytes()),
                    List.of("instabot", "stepchat", "mercury"), Map.of(), List.of());
        }
    }
}
