package io.botsync.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side every simulator shares: a JDK server on a free loopback port, and helpers to read
 * queries and forms and to answer JSON. What a platform answers is up to its simulator.
 */
public final class SimServer implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server leaves Nagle's algorithm on, which holds every small response back ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final SimFaults faults = new SimFaults();

    public SimServer(String name) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the " + name + " simulator", e);
        }
        executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, name + "-sim");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
    }

    /** Routes every request under {@code path} to the handler; a handler that throws answers 500. */
    public SimServer route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            faults.began();
            try {
                if (faults.apply(exchange)) {
                    return;
                }
                handler.handle(exchange);
            } catch (RuntimeException e) {
                if (exchange.getResponseCode() == -1) { // nothing sent yet: the client gets a real 500
                    respond(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
                }
            } finally {
                exchange.close();
                faults.ended();
            }
        });
        return this;
    }

    /** The faults this server injects into the requests it receives (none unless a test asks). */
    public SimFaults faults() {
        return faults;
    }

    public SimServer start() {
        server.start();
        return this;
    }

    /** {@code http://127.0.0.1:PORT} */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static Map<String, String> query(HttpExchange exchange) {
        return decode(exchange.getRequestURI().getRawQuery());
    }

    /** The fields of an {@code application/x-www-form-urlencoded} body. */
    public static Map<String, String> form(HttpExchange exchange) throws IOException {
        return decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    public static Map<String, String> decode(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            values.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    /** A body written token by token, for answers where building the tree first would cost several times the writing. */
    @FunctionalInterface
    public interface JsonBody {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /** The bytes {@link #JSON} would give for the tree that {@code body} writes. */
    public static byte[] json(JsonBody body) throws IOException {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder()) {
            try (JsonGenerator json = JSON.createGenerator(bytes)) {
                body.writeTo(json);
            }
            return bytes.toByteArray();
        }
    }

    public static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        respondBytes(exchange, status, JSON.writeValueAsBytes(body));
    }

    /** Answers these exact bytes as JSON, whether they are JSON or UTF-8 or not (simulators break them on purpose). */
    public static void respondBytes(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        SimFaults.send(exchange, status, bytes);
    }
}
