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
 * configured with {@code -D} properties, its stdout and stderr in one file. It can be killed with SIGKILL.
 */
public final class BotsyncProcess {

    private final Process process;
    private final Path output;

    private BotsyncProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static BotsyncProcess start(Map<String, String> properties, String... args) {
        try {
            Path output = Files.createTempFile("botsync-process", ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx256m");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("io.botsync.cli.Botsync");
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new BotsyncProcess(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM: the shutdown ops' service managers ask for. */
    public void stop() {
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

    /** Everything the process printed: command output and logs. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
