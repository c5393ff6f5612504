package io.botsync.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One botsync command line run in this JVM, as a user would see it: exit code, stdout, stderr. */
record CommandLineRun(int exitCode, String out, String err) {

    /** The command line with these settings as {@code -D} properties, as ops would give them; cleared afterwards. */
    static CommandLineRun with(Map<String, String> properties, String... args) {
        try {
            properties.forEach(System::setProperty);
            return of(args);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    static synchronized CommandLineRun of(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int code = Botsync.execute(args);
            return new CommandLineRun(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
