package io.botsync.cli;

/** {@link CommandLineRun} for tests outside this package. */
public final class CommandLineRunner {

    public record Result(int exitCode, String out, String err) {
    }

    private CommandLineRunner() {
    }

    public static Result run(String... args) {
        CommandLineRun run = CommandLineRun.of(args);
        return new Result(run.exitCode(), run.out(), run.err());
    }
}
