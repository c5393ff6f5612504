package io.botsync.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * A CRM's webhook on loopback: records every POST (its Idempotency-Key, Authorization and JSON body) and answers
 * 200, or 503 while {@link #down} is set (with a {@code Retry-After} when one is given), or 422 when a user in the body
 * matches {@link #refuse}. It counts every request it was sent, and notes when each arrived.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(String idempotencyKey, String authorization, JsonNode body) {

        /** The users of the request: the body itself, or the items of a batch. */
        List<JsonNode> users() {
            List<JsonNode> users = new ArrayList<>();
            if (body.isArray()) {
                body.forEach(users::add);
            } else {
                users.add(body);
            }
            return users;
        }
    }

    private final SimServer server = new SimServer("webhook").route("/hook", this::handle).start();
    private final List<Received> received = new ArrayList<>();
    private volatile boolean down;
    private volatile String retryAfter;
    private volatile boolean drop;
    private volatile long stallMillis;
    private final List<Long> arrivals = new ArrayList<>();
    private volatile Predicate<JsonNode> refuse = user -> false;
    private volatile IntConsumer beforeAnswer = request -> { };
    private int requests;

    public String url() {
        return server.baseUrl() + "/hook";
    }

    void down(boolean down) {
        this.down = down;
    }

    /** While down, answer 429 with this {@code Retry-After} (seconds) instead of a bare 503; null for 503. */
    void retryAfter(String seconds) {
        this.retryAfter = seconds;
    }

    /** Closes every connection without an answer from now on (true), as a crashing server does. */
    void drop(boolean drop) {
        this.drop = drop;
    }

    /** Takes this long before answering from now on: past the client's timeout, no answer arrives. */
    void stall(long millis) {
        this.stallMillis = millis;
    }

    /** When each request arrived (System.nanoTime), whatever it was answered. */
    synchronized List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    void refuse(Predicate<JsonNode> refuse) {
        this.refuse = refuse;
    }

    /** Runs after each accepted request is recorded and before it is answered, with its number (1, 2, ...). */
    void beforeAnswer(IntConsumer hook) {
        this.beforeAnswer = hook;
    }

    /** The requests answered 200, oldest first. */
    public synchronized List<Received> accepted() {
        return List.copyOf(received);
    }

    /** The users of every accepted request, in the order they arrived. */
    List<JsonNode> acceptedUsers() {
        return accepted().stream().flatMap(r -> r.users().stream()).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = SimServer.JSON.readTree(exchange.getRequestBody());
        synchronized (this) {
            arrivals.add(System.nanoTime());
        }
        if (drop) {
            exchange.close();
            return;
        }
        if (stallMillis > 0) {
            try {
                Thread.sleep(stallMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (down) {
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                SimServer.respond(exchange, 429, Map.of("error", "slow down"));
            } else {
                SimServer.respond(exchange, 503, Map.of("error", "down for maintenance"));
            }
            return;
        }
        Received request = new Received(exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("Authorization"), body);
        if (request.users().stream().anyMatch(refuse)) {
            // echoes the credentials, as careless servers do: botsync must not keep them
            SimServer.respond(exchange, 422, Map.of("error", "invalid user", "auth", String.valueOf(request.authorization())));
            return;
        }
        int number;
        synchronized (this) {
            number = ++requests;
        }
        synchronized (this) {
            received.add(request);
        }
        beforeAnswer.accept(number); // after recording: the receiver has the change even if its answer is lost
        SimServer.respond(exchange, 200, Map.of("ok", true));
    }

    @Override
    public void close() {
        server.close();
    }
}
