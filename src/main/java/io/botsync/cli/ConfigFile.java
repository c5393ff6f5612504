package io.botsync.cli;

import io.botsync.sync.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ops' properties file: the one {@code --config FILE} names, else {@code botsync.properties} in the working directory
 * when there is one. A command line is parsed and run on one thread, so the file given travels to
 * {@link Application#start} with it.
 */
final class ConfigFile {

    private static final Path DEFAULT = Path.of("botsync.properties");
    private static final ThreadLocal<Path> GIVEN = new ThreadLocal<>();

    private ConfigFile() {
    }

    static void given(Path file) {
        GIVEN.set(file);
    }

    static void forget() {
        GIVEN.remove();
    }

    /**
     * The file, or null when there is none.
     *
     * @throws ConfigException when the file given is not there: a file named on the command line must be
     */
    static Path current() {
        Path given = GIVEN.get();
        if (given != null && !Files.isRegularFile(given)) {
            throw new ConfigException("--config " + given + ": no such file (give the path of a properties file)");
        }
        return given != null ? given : Files.isRegularFile(DEFAULT) ? DEFAULT : null;
    }
}
