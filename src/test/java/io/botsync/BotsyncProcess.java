package io.botsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * botsync as ops run it: a JVM of its own (this test's classpath, main class {@code io.botsync.cli.Botsync}),
 * configured with {@code -D} properties, its stdout and stderr in one file (or two). It can be stopped with SIGTERM or
 * killed with SIGKILL.
 */
public final class BotsyncProcess {

    private final Process process;
    private final Path output;
    /** stderr, when it is not in {@link #output}. */
    private final Path logs;

    private BotsyncProcess(Process process, Path output, Path logs) {
        this.process = process;
        this.output = output;
        this.logs = logs;
    }

    public static BotsyncProcess start(Map<String, String> properties, String... args) {
        return start(properties, false, args);
    }

    /** As {@link #start}, with stderr (the logs) in a file of its own ({@link #logs}); {@link #output} is stdout. */
    public static BotsyncProcess startWithLogsApart(Map<String, String> properties, String... args) {
        return start(properties, true, args);
    }

    private static BotsyncProcess start(Map<String, String> properties, boolean logsApart, String... args) {
        try {
            Path output = Files.createTempFile("botsync-process", ".log");
            Path logs = logsApart ? Files.createTempFile("botsync-process", ".err.log") : null;
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx256m");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("io.botsync.cli.Botsync");
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile());
            Process process = (logsApart ? builder.redirectError(logs.toFile()) : builder.redirectErrorStream(true)).start();
            return new BotsyncProcess(process, output, logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as systemd and {@code docker stop} send it: botsync stops gracefully. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no rollback, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the exit code; a process still running after two minutes is killed and fails the test. */
    public int exitCode() throws InterruptedException {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            kill();
            throw new AssertionError("botsync did not finish in two minutes:\n" + output());
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Everything the process printed: command output and logs (only the output when they were kept apart). */
    public String output() {
        return read(output);
    }

    /** What it printed on stderr, when started with its logs apart. */
    public String logs() {
        return read(logs);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
