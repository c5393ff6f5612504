package io.botsync.service;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code run} as ops run it, in this JVM: a working folder of their own with {@code routes/} (a copy of the
 * repository's) and {@code mappings/}, a fresh H2 warehouse, the management server on a free loopback port.
 */
final class ServiceFixture implements AutoCloseable {

    /** Quartz: every second. */
    static final String EVERY_SECOND = "* * * * * ?";

    final Path routes;
    final Path mappings;
    final String url = TestDatabases.freshH2();
    final Map<String, String> properties = new HashMap<>();
    private final int port = freePort();
    private final HttpClient http = HttpClient.newHttpClient();
    private Application app;

    ServiceFixture() {
        try {
            Path dir = Files.createTempDirectory("botsync-run");
            routes = Files.createDirectories(dir.resolve("routes"));
            mappings = Files.createDirectories(dir.resolve("mappings"));
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, routes.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.routes.dir", routes.toString());
        properties.put("botsync.mappings.dir", mappings.toString());
        properties.put("camel.management.port", String.valueOf(port));
        properties.put("camel.management.host", "127.0.0.1");
    }

    ServiceFixture start() {
        app = Application.start(properties, true);
        return this;
    }

    /** Waits (at most a minute: the schedules fire every second) until the condition holds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within a minute: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The running service, to ask it for a run as a command would. */
    Application app() {
        return app;
    }

    /** Where {@code run} serves /observe/*: {@code http://127.0.0.1:PORT}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of one Prometheus sample, e.g. {@code botsync_users_fetched_total{source="instabot"}}; -1 when absent. */
    double metric(String name, String source) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*source=\"" + Pattern.quote(source)
                + "\"[^}]*} ([0-9.Ee+-]+)$").matcher(get("/observe/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** botsync's own lines of /observe/metrics, for failure messages. */
    String botsyncMetrics() {
        return get("/observe/metrics").body().lines().filter(l -> l.startsWith("botsync_")).reduce("", (a, b) -> a + b + "\n");
    }

    List<List<Object>> query(String sql) {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<List<Object>> result = new ArrayList<>();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.add(rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) {
        return ((Number) query(sql).get(0).get(0)).longValue();
    }

    void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
            app = null;
        }
    }
}
