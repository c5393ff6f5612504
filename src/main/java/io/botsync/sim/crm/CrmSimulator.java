package io.botsync.sim.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A CRM's REST API on loopback, shaped like HubSpot's contacts batch upsert, for {@code demo} and the tests:
 * {@code POST /crm/v3/objects/contacts/batch/upsert} with {@code {"inputs": [{"id": email, "idProperty": "email",
 * "properties": {...}}]}}, at most 100 inputs, a bearer token. It keeps contacts by email (an upsert merges the
 * properties it is given), and answers as HubSpot does: 200 when every input was taken, 207 with per-input
 * {@code errors} (their {@code context.ids}) when some were not (an id that is no email), 400 for a malformed
 * request, 401 for another token, 429 with {@code Retry-After} past its request budget (requests a second). It
 * counts the requests it was sent.
 */
public final class CrmSimulator implements AutoCloseable {

    public static final String PATH = "/crm/v3/objects/contacts/batch/upsert";
    private static final int MAX_INPUTS = 100;

    private final String token;
    private final int requestsPerSecond;
    private final SimServer server;
    private final Map<String, ObjectNode> contacts = new LinkedHashMap<>();
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Predicate<String> refused = email -> false;
    private volatile long delayMillis;
    private long windowStart;
    private int inWindow;

    /** @param requestsPerSecond the budget past which it answers 429; 0 for none */
    public CrmSimulator(String token, int requestsPerSecond) {
        this.token = token;
        this.requestsPerSecond = requestsPerSecond;
        this.server = new SimServer("crm").route(PATH, this::upsert).start();
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** The properties that point botsync's {@code hubspot} push route at this CRM. */
    public Map<String, String> pushProperties() {
        return Map.of("botsync.push.hubspot.url", baseUrl(), "botsync.push.hubspot.token", token);
    }

    /** Refuses the inputs whose email matches, as invalid (a 207 naming them), from now on. */
    public void refuse(Predicate<String> emails) {
        this.refused = emails;
    }

    /** Takes this long over every request from now on, as a remote API does. */
    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** Requests received, whatever they were answered. */
    public int requests() {
        return requests.get();
    }

    /** The contacts held, by email, each its properties. */
    public synchronized Map<String, ObjectNode> contacts() {
        return Map.copyOf(contacts);
    }

    private void upsert(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            SimServer.respond(exchange, 401, error("INVALID_AUTHENTICATION", "Authentication credentials not found."));
            return;
        }
        if (overBudget()) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            SimServer.respond(exchange, 429, error("RATE_LIMITS", "You have reached your secondly limit."));
            return;
        }
        JsonNode inputs = SimServer.JSON.readTree(exchange.getRequestBody()).path("inputs");
        if (!inputs.isArray() || inputs.isEmpty() || inputs.size() > MAX_INPUTS) {
            SimServer.respond(exchange, 400, error("VALIDATION_ERROR", "inputs must hold 1 to " + MAX_INPUTS + " contacts"));
            return;
        }
        ObjectNode answer = SimServer.JSON.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = answer.putArray("results");
        ArrayNode errors = SimServer.JSON.createArrayNode();
        synchronized (this) {
            for (JsonNode input : inputs) {
                String email = input.path("id").asText("");
                if (!"email".equals(input.path("idProperty").asText()) || !email.matches("[^@\\s]+@[^@\\s]+")
                        || refused.test(email)) {
                    errors.add(error("VALIDATION_ERROR", "Property values were not valid: email '" + email + "'")
                            .set("context", SimServer.JSON.createObjectNode().set("ids", SimServer.JSON.createArrayNode().add(email))));
                    continue;
                }
                ObjectNode contact = contacts.computeIfAbsent(email.toLowerCase(), e -> SimServer.JSON.createObjectNode());
                if (input.path("properties").isObject()) {
                    contact.setAll((ObjectNode) input.path("properties"));
                }
                contact.put("email", email.toLowerCase());
                results.addObject().put("id", Integer.toString(ids.computeIfAbsent(email.toLowerCase(), e -> ids.size() + 1)))
                        .set("properties", contact.deepCopy());
            }
        }
        if (!errors.isEmpty()) {
            answer.put("numErrors", errors.size()).set("errors", errors);
        }
        SimServer.respond(exchange, errors.isEmpty() ? 200 : 207, answer);
    }

    private synchronized boolean overBudget() {
        if (requestsPerSecond <= 0) {
            return false;
        }
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            inWindow = 0;
        }
        return ++inWindow > requestsPerSecond;
    }

    private static ObjectNode error(String category, String message) {
        return SimServer.JSON.createObjectNode().put("status", "error").put("category", category).put("message", message);
    }

    @Override
    public void close() {
        server.close();
    }
}
