package io.botsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of the shipped {@code routes/} whose sync template has standard Camel steps between its stages, as ops may
 * put them there: a wire tap of every fetched page to a file, a log of every page's body, a throttle, and a second
 * endpoint (a route of ops' own, {@code direct:audit}). The guarantees' tests run botsync with it ({@code botsync.routes.dir}) to show they hold with steps present.
 */
public final class RoutesWithSteps {

    private static final String STAGES = """
                      - to: "botsync:map/{{platform}}"
                      - to: "botsync:warehouse"
            """;

    /** The second endpoint the pages are sent to: a route of its own, as ops would write one. */
    private static final String AUDIT = """
            - route:
                id: audit
                from:
                  uri: "direct:audit"
                  steps:
                    - log:
                        message: "audit: ${header.CamelBotsyncSource} page ${header.CamelBotsyncPage}, ${header.CamelBotsyncRecords} records"
                        loggingLevel: DEBUG
                        logName: io.botsync.test.audit
            """;

    private RoutesWithSteps() {
    }

    /**
     * @param tap the folder every fetched page is written to, as {@code <source>-<run>-<page>.json}
     * @return the routes folder
     */
    public static Path create(Path tap) {
        String steps = """
                          - wireTap:
                              uri: "file:%s?fileName=${header.CamelBotsyncSource}-${header.CamelBotsyncRunId}-${header.CamelBotsyncPage}.json"
                          - log:
                              message: "${header.CamelBotsyncSource} page ${header.CamelBotsyncPage}: ${body}"
                              loggingLevel: DEBUG
                              logName: io.botsync.test.pages
                          - to: "botsync:map/{{platform}}"
                          - throttle:
                              constant: "1000"
                              timePeriodMillis: 1000
                          - to: "direct:audit"
                          - to: "botsync:warehouse"
                """.formatted(tap.toAbsolutePath());
        try {
            Path routes = Files.createTempDirectory("botsync-routes-with-steps");
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, routes.resolve(file.getFileName()));
                }
            }
            Path template = routes.resolve("sync-account.yaml");
            String text = Files.readString(template);
            if (!text.contains(STAGES)) {
                throw new IllegalStateException("routes/sync-account.yaml no longer ends with the two stages this helper expects");
            }
            Files.writeString(template, text.replace(STAGES, steps));
            Files.writeString(routes.resolve("audit.yaml"), AUDIT);
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files a tap folder holds, by name. */
    public static List<Path> tapped(Path tap) {
        try (Stream<Path> files = Files.list(tap)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
