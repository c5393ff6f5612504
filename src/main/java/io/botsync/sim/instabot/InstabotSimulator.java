package io.botsync.sim.instabot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.SimFaults;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Instabot's Users Object API on loopback, as the reference describes it:
 * <ul>
 *   <li>every request needs {@code X-Instabot-Api-Key: KEY} and {@code Authorization: X-Instabot-Master-Api-Key
 *       MASTER}, else 401 with an error envelope;</li>
 *   <li>{@code GET /v1/users?type=all&limit&skip} in objectId order; without {@code type=all} anonymous users are
 *       left out;</li>
 *   <li>{@code GET /v1/users/lastUpdated?since=yyyy-MM-ddTHH:mm:ss} (UTC, inclusive, whole seconds) with the same
 *       {@code type}/{@code limit}/{@code skip}, in updateDate order;</li>
 *   <li>{@code limit} defaults to 20 and is capped at 100; the envelope carries {@code hasMoreRecords},
 *       {@code totalCount}, {@code apiStatusCode} and {@code data};</li>
 *   <li>{@code GET/PUT/DELETE /v1/users/{id}}, {@code POST /v1/users} (201, needs userName and userPassword),
 *       {@code POST /v1/users/{id}} restores a deleted user.</li>
 * </ul>
 * What the reference leaves open is answered plausibly and written down here: error bodies are
 * {@code {"apiStatusCode": "<Reason>", "message": "...", "data": null}}; a deleted user is in no list;
 * deleting, restoring and updating each stamp a new updateDate.
 *
 * <p>Knobs for tests: {@link #clock(Clock)} fixes the time changes are stamped with; {@link #beforePage(IntConsumer)}
 * runs before each list or lastUpdated page is answered (to change users while a reader pages);
 * {@link #fail(int, String)} answers every page request with an error; {@link #requests()} lists what was asked.
 */
public final class InstabotSimulator implements PlatformSimulator {

    public static final String API_KEY = "sim-instabot-api-key";
    public static final String MASTER_API_KEY = "sim-instabot-master-key";
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 20;

    private final UserStore store;
    private final SimServer server;
    private final List<String> requests = new ArrayList<>();
    private volatile IntConsumer beforePage = page -> { };
    private volatile int failStatus;
    private volatile String failCode;
    private int pagesServed;

    public InstabotSimulator(int users, long seed) {
        this.store = new UserStore(users, seed);
        this.server = new SimServer("instabot").route("/v1/users", this::handle).start();
    }

    @Override
    public String platform() {
        return "instabot";
    }

    @Override
    public Map<String, String> sourceProperties(String sourceName) {
        return Map.of("botsync." + sourceName + ".base-url", baseUrl(),
                "botsync." + sourceName + ".api-key", API_KEY,
                "botsync." + sourceName + ".master-api-key", MASTER_API_KEY);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void mutate(int changed, int added) {
        store.mutate(changed, added);
    }

    @Override
    public boolean addPerson(String firstName, String lastName, String email, String phone) {
        store.create(new WrittenFields(email, firstName + " " + lastName, null, email, phone, null));
        return true;
    }

    @Override
    public SimFaults faults() {
        return server.faults();
    }

    @Override
    public int userCount() {
        return store.liveCount();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- knobs for tests and the demo ----

    /** The clock new updateDates are stamped with (default: the system clock). */
    public void clock(Clock clock) {
        store.clock(clock);
    }

    /**
     * Runs before each list / lastUpdated page is answered, with the number of the page request counted from
     * this call (1, 2, ...), so that a test can change users between the pages a reader asks for.
     */
    public synchronized void beforePage(IntConsumer hook) {
        this.beforePage = hook;
        this.pagesServed = 0;
    }

    /**
     * Serves {@code lastUpdated} newest first (default: oldest first). The reference states no order; in this one a
     * user changed during a read jumps back into the pages already read, which only a count check can notice.
     */
    public void newestFirst(boolean newestFirst) {
        store.newestFirst(newestFirst);
    }

    /** Answers every page request with this HTTP status and apiStatusCode (0 to stop). */
    public void fail(int status, String apiStatusCode) {
        this.failCode = apiStatusCode;
        this.failStatus = status;
    }

    /** Changes one user now (a new name and email); false when it is not there. */
    public boolean change(long objectId) {
        return store.change(objectId) != null;
    }

    public boolean delete(long objectId) {
        return store.setDeleted(objectId, true) != null;
    }

    /** The objectIds of the users that are not deleted, ascending. */
    public List<Long> liveIds() {
        return store.liveIds();
    }

    /** The user as the API renders it, or null when there is none (deleted users included: tests look at them). */
    public ObjectNode user(long objectId) {
        SimUser user = store.find(objectId);
        return user == null ? null : store.renderer().render(user, store.written(objectId));
    }

    /** Path and query of each request received, oldest first (the last 10,000). */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        log(method + " " + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        if (!authorised(exchange)) {
            error(exchange, 401, "Unauthorized", "The API key or the master API key is missing or invalid.");
            return;
        }
        String rest = path.length() > "/v1/users".length() ? path.substring("/v1/users/".length()) : "";
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (method.equals("GET") && (rest.isEmpty() || rest.equals("lastUpdated"))) {
            listPage(exchange, rest.equals("lastUpdated"));
        } else if (method.equals("POST") && rest.isEmpty()) {
            create(exchange);
        } else if (!rest.isEmpty() && rest.chars().allMatch(Character::isDigit)) {
            one(exchange, method, Long.parseLong(rest));
        } else {
            error(exchange, 404, "NotFound", "No such endpoint: " + method + " " + path);
        }
    }

    private boolean authorised(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("X-Instabot-Api-Key");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return key != null && key.trim().equals(API_KEY)
                && authorization != null && authorization.trim().equals("X-Instabot-Master-Api-Key " + MASTER_API_KEY);
    }

    private void listPage(HttpExchange exchange, boolean lastUpdated) throws IOException {
        int page;
        synchronized (this) {
            page = ++pagesServed;
        }
        beforePage.accept(page);
        if (failStatus != 0) {
            error(exchange, failStatus, failCode, "Simulated failure.");
            return;
        }
        Map<String, String> query = SimServer.query(exchange);
        boolean allTypes = "all".equalsIgnoreCase(query.get("type"));
        int limit;
        int skip;
        try {
            limit = Math.min(MAX_LIMIT, Integer.parseInt(query.getOrDefault("limit", Integer.toString(DEFAULT_LIMIT))));
            skip = Integer.parseInt(query.getOrDefault("skip", "0"));
        } catch (NumberFormatException e) {
            error(exchange, 400, "InvalidParameter", "limit and skip must be integers.");
            return;
        }
        if (limit < 1 || skip < 0) {
            error(exchange, 400, "InvalidParameter", "limit must be at least 1 and skip at least 0.");
            return;
        }
        UserStore.Slice slice;
        if (lastUpdated) {
            String since = query.get("since");
            try {
                slice = store.lastUpdated(UserRenderer.ticks(LocalDateTime.parse(since == null ? "" : since)
                        .toInstant(ZoneOffset.UTC)), allTypes, skip, limit);
            } catch (DateTimeParseException e) {
                error(exchange, 400, "InvalidParameter", "since must be a date and time such as 2017-03-30T14:44:55.");
                return;
            }
        } else {
            slice = store.list(allTypes, skip, limit);
        }
        SimServer.respondBytes(exchange, 200, SimServer.json(json -> {
            json.writeStartObject();
            json.writeBooleanField("hasMoreRecords", skip + slice.users().size() < slice.totalCount());
            json.writeNumberField("totalCount", slice.totalCount());
            json.writeStringField("apiStatusCode", "Success");
            json.writeArrayFieldStart("data");
            for (SimUser user : slice.users()) {
                store.renderer().write(json, user, store.written(user.objectId()));
            }
            json.writeEndArray();
            json.writeEndObject();
        }));
    }

    private void create(HttpExchange exchange) throws IOException {
        JsonNode json = body(exchange);
        String username = text(json, "userName", text(json, "username", null));
        if (username == null || text(json, "userPassword", null) == null) {
            error(exchange, 400, "ValidationError", "userName and userPassword are required.");
            return;
        }
        if (store.usernameTaken(username)) {
            error(exchange, 400, "DuplicateObject", "A user with this userName already exists.");
            return;
        }
        SimUser user = store.create(new WrittenFields(username, text(json, "name", null), text(json, "description", null),
                text(json, "email", null), text(json, "phone", null), objectText(json)));
        ObjectNode body = success();
        body.putObject("data").put("objectId", user.objectId());
        SimServer.respond(exchange, 201, body);
    }

    private void one(HttpExchange exchange, String method, long objectId) throws IOException {
        SimUser user = store.find(objectId);
        boolean restore = method.equals("POST");
        if (user == null || (user.deleted() && !restore)) {
            error(exchange, 404, "ObjectNotFound", "No user with objectId " + objectId + ".");
            return;
        }
        switch (method) {
            case "GET" -> { }
            case "DELETE" -> user = store.setDeleted(objectId, true);
            case "POST" -> user = store.setDeleted(objectId, false);
            case "PUT" -> {
                JsonNode json = body(exchange);
                WrittenFields was = store.currentFields(user);
                String username = text(json, "username", text(json, "userName", was.username()));
                if (!username.equalsIgnoreCase(was.username()) && store.usernameTaken(username)) {
                    error(exchange, 400, "DuplicateObject", "A user with this userName already exists.");
                    return;
                }
                user = store.update(objectId, new WrittenFields(username, text(json, "name", was.name()),
                        text(json, "description", was.description()), text(json, "email", was.email()),
                        text(json, "phone", was.phone()), json.has("customProperties") ? objectText(json) : was.customProperties()));
            }
            default -> {
                error(exchange, 405, "MethodNotAllowed", method + " is not allowed here.");
                return;
            }
        }
        respondUser(exchange, user);
    }

    private void respondUser(HttpExchange exchange, SimUser user) throws IOException {
        WrittenFields written = store.written(user.objectId());
        SimServer.respondBytes(exchange, 200, SimServer.json(json -> {
            json.writeStartObject();
            json.writeStringField("apiStatusCode", "Success");
            json.writeFieldName("data");
            store.renderer().write(json, user, written);
            json.writeEndObject();
        }));
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonNode json = bytes.length == 0 ? null : SimServer.JSON.readTree(bytes);
        return json != null && json.isObject() ? json : SimServer.JSON.createObjectNode();
    }

    /** A field's text; an explicit JSON null clears it, an absent field keeps the fallback. */
    private static String text(JsonNode json, String field, String fallback) {
        JsonNode value = json.get(field);
        if (value == null) {
            return fallback;
        }
        return value.isNull() ? null : value.asText();
    }

    /** As {@link WrittenFields#customProperties()} keeps it: the very bytes the API answers, for pages to copy. */
    private static String objectText(JsonNode json) throws IOException {
        JsonNode custom = json.get("customProperties");
        return custom != null && custom.isObject()
                ? new String(SimServer.JSON.writeValueAsBytes(custom), StandardCharsets.UTF_8) : null;
    }

    private static ObjectNode success() {
        return SimServer.JSON.createObjectNode().put("apiStatusCode", "Success");
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = SimServer.JSON.createObjectNode().put("apiStatusCode", code).put("message", message);
        body.putNull("data");
        SimServer.respond(exchange, status, body);
    }

    private void log(String request) {
        synchronized (requests) {
            if (requests.size() == 10_000) {
                requests.remove(0);
            }
            requests.add(request);
        }
    }
}
