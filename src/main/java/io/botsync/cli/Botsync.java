package io.botsync.cli;

import io.botsync.sync.ConfigException;
import io.botsync.warehouse.WarehouseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar botsync.jar COMMAND}. Exit codes: 0 success, 1 a source failed or the warehouse is unreachable, 2 bad
 * usage or configuration.
 */
// INHERIT: every command takes --help and --version, as the top one does
@Command(name = "botsync", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Botsync.Version.class,
        description = "Keeps a CRM warehouse in step with chatbot platforms (Instabot, StepChat, Mercury.ai).",
        subcommands = {RunCommand.class, SyncCommand.class, PushCommand.class, StatusCommand.class, DemoCommand.class,
                ReplayCommand.class, ImportCommand.class, ContactsCommand.class, CheckCommand.class, CommandLine.HelpCommand.class})
public final class Botsync implements Runnable {

    public static final int OK = 0;
    public static final int SOURCE_FAILED = 1;
    public static final int BAD_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "a properties file of settings (default: botsync.properties in the working directory)")
    void config(java.nio.file.Path file) {
        ConfigFile.given(file);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run, sync, push, status, check, demo, replay, import or contacts");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and gives its exit code; configuration errors are one clear line on stderr, no stack trace. */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Botsync());
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (e instanceof ConfigException) {
                cl.getErr().println("botsync: " + e.getMessage());
                return BAD_CONFIG;
            }
            if (e instanceof WarehouseException) { // its message names the database and says what failed
                cl.getErr().println("botsync: " + e.getMessage());
                return SOURCE_FAILED;
            }
            cl.getErr().println("botsync: failed: " + e);
            return SOURCE_FAILED;
        });
        try {
            return commandLine.execute(args);
        } finally {
            ConfigFile.forget();
        }
    }

    /** The version Maven wrote into {@code io/botsync/version.properties} at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties build = new java.util.Properties();
            try (var in = Botsync.class.getResourceAsStream("/io/botsync/version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[] {"botsync " + build.getProperty("version", "(version unknown: not built by Maven)")};
        }
    }
}
