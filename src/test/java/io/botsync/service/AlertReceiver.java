package io.botsync.service;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat's incoming webhook on loopback (a JDK HTTP server): records what each POST carried and answers 200, or 503 to
 * the next {@link #refuseNext} requests.
 */
final class AlertReceiver implements AutoCloseable {

    record Message(String contentType, String body) {
    }

    private final HttpServer server;
    private final List<Message> taken = new ArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    AlertReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/services/T0/B0/s3cret-hook-path", exchange -> {
            requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean refuse = refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (!refuse) {
                synchronized (taken) {
                    taken.add(new Message(exchange.getRequestHeaders().getFirst("Content-Type"), body));
                }
            }
            exchange.sendResponseHeaders(refuse ? 503 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    /** Shaped like a Slack incoming webhook: its path is its secret. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0/B0/s3cret-hook-path";
    }

    void refuseNext(int requests) {
        refusals.set(requests);
    }

    /** The messages taken (answered 200), oldest first. */
    List<Message> taken() {
        synchronized (taken) {
            return List.copyOf(taken);
        }
    }

    int requests() {
        return requests.get();
    }

    /** Waits until the receiver has taken {@code count} messages, and gives the last. */
    Message await(int count) {
        ServiceFixture.await(count + " alerts taken (so far: " + taken() + ")", () -> taken().size() >= count);
        return taken().get(count - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
