package io.botsync.sim.mercury;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.SimFaults;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mercury.ai's bot users endpoint on loopback: {@code GET <base>/projects/<projectId>/users/properties} with
 * {@code startId}, {@code limit} (default 50), {@code stageIds}, {@code filters} and {@code sortBy}, answering
 * {@code {"success": true, "data": {"items": [...]}}}. Errors answer {@code {"success": false, "error": ...}}
 * with 400 (a request it cannot read), 401 (wrong or missing credentials) or 404 (no such project).
 *
 * <p>What the reference leaves open is a knob: whether a page starts WITH {@code startId} or after it
 * ({@link #startIdInclusive}, inclusive by default), and the auth header ({@link #requireAuth}, by default
 * {@code Authorization: Bearer KEY}). Tests also get a hook run before each page is answered, a switch that makes
 * the server ignore {@code startId} (a broken server), malformed records and a settable clock.
 */
public final class MercurySimulator implements PlatformSimulator {

    /** How a record can be malformed, to test that the reader passes it on and the mapping rejects it. */
    public enum Defect {
        NO_USER_ID, TIME_AS_NUMBER, PROPERTIES_AS_TEXT,
        /** {@code userId} is an object, {@code firstName} a list, {@code properties} a list. */
        USER_ID_AS_OBJECT, NAME_AS_LIST, PROPERTIES_AS_LIST,
        /** {@code lastInteractionTime} that no format reads; a 10,000-character name; a 1,000-character email. */
        UNPARSEABLE_TIME, LONG_NAME, LONG_EMAIL,
        /** The last name's bytes are not UTF-8. */
        INVALID_UTF8,
        /** {@code null} where the user object belongs in the page. */
        NULL_RECORD
    }

    /** Stands in for the invalid bytes until the page is serialised; as long as the bytes that replace it. */
    private static final String INVALID_UTF8_MARK = "~~";
    private static final byte[] INVALID_UTF8_BYTES = {(byte) 0xC3, (byte) 0x28};

    private static final Pattern USERS_PATH = Pattern.compile("/api/projects/([^/]+)/users/properties/?");

    private final MercuryUsers users;
    private final String projectId;
    private final String apiKey;
    private final List<String> stageIds;
    private final SimServer server;
    private final Map<UUID, Defect> defects = new ConcurrentHashMap<>();
    private final AtomicInteger pageRequests = new AtomicInteger();
    private volatile boolean startIdInclusive = true;
    private volatile boolean ignoreStartId;
    private volatile String authHeader = "Authorization";
    private volatile String authScheme = "Bearer";
    private volatile Consumer<Map<String, String>> beforePage = query -> { };

    public MercurySimulator(int users, long seed) {
        this.users = new MercuryUsers(users, seed);
        Random ids = new Random(~seed);
        this.projectId = new UUID(ids.nextLong(), ids.nextLong()).toString();
        this.apiKey = "mk_" + Long.toHexString(ids.nextLong() | Long.MIN_VALUE);
        this.stageIds = List.of(new UUID(ids.nextLong(), ids.nextLong()).toString(),
                new UUID(ids.nextLong(), ids.nextLong()).toString(), new UUID(ids.nextLong(), ids.nextLong()).toString());
        this.server = new SimServer("mercury").route("/", this::handle).start();
    }

    @Override
    public String platform() {
        return "mercury";
    }

    @Override
    public Map<String, String> sourceProperties(String sourceName) {
        String prefix = "botsync." + sourceName + ".";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(prefix + "base-url", baseUrl());
        properties.put(prefix + "project-id", projectId);
        properties.put(prefix + "api-key", apiKey);
        if (!"Authorization".equals(authHeader) || !"Bearer".equals(authScheme)) {
            properties.put(prefix + "auth-header", authHeader);
            properties.put(prefix + "auth-scheme", authScheme == null ? "none" : authScheme);
        }
        return properties;
    }

    @Override
    public void mutate(int changed, int added) {
        users.mutate(changed, added);
    }

    @Override
    public SimFaults faults() {
        return server.faults();
    }

    @Override
    public int userCount() {
        return users.size();
    }

    @Override
    public void close() {
        server.close();
    }

    /** {@code http://127.0.0.1:PORT/api}: the reference gives no base URL, so the simulator's has a path of its own. */
    public String baseUrl() {
        return server.baseUrl() + "/api";
    }

    public String projectId() {
        return projectId;
    }

    public String apiKey() {
        return apiKey;
    }

    /** The three stages users belong to (for {@code stageIds}). */
    public List<String> stageIds() {
        return stageIds;
    }

    /** True (the default): a page starts with the {@code startId} user. False: it starts after it. */
    public MercurySimulator startIdInclusive(boolean inclusive) {
        this.startIdInclusive = inclusive;
        return this;
    }

    /** A broken server that answers every page as if no {@code startId} had been sent. */
    public MercurySimulator ignoreStartId(boolean ignore) {
        this.ignoreStartId = ignore;
        return this;
    }

    /** The header the API key must come in, and its scheme ({@code null}: the bare key). */
    public MercurySimulator requireAuth(String header, String scheme) {
        this.authHeader = header;
        this.authScheme = scheme;
        return this;
    }

    /**
     * Run with each page request's query (after auth) before it is answered, e.g. to change users mid-scan. A hook
     * that throws makes the request fail with HTTP 500, as a platform falling over mid-scan would.
     */
    public MercurySimulator beforePage(Consumer<Map<String, String>> hook) {
        this.beforePage = hook;
        return this;
    }

    /** Controls the time {@link #mutate} stamps on the users it touches. */
    public MercurySimulator clock(Clock clock) {
        users.clock(clock);
        return this;
    }

    /** Makes the user at {@code index} (in id order) malformed from now on; returns its id. */
    public String corrupt(int index, Defect defect) {
        SimUser user = users.get(index);
        defects.put(user.uuid(), defect);
        return user.userId();
    }

    /** Makes the user at {@code index} (in id order) well-formed again, as a bot operator's fix would; returns its id. */
    public String repair(int index) {
        SimUser user = users.get(index);
        defects.remove(user.uuid());
        return user.userId();
    }

    /** Deletes the user at {@code index} (in id order), as a bot operator would; returns its id. */
    public String remove(int index) {
        return users.remove(index).userId();
    }

    /** How many page requests were answered with users (auth and path accepted). */
    public int pageRequests() {
        return pageRequests.get();
    }

    /** Every user as a page would render it, in id order. For tests: this renders them all at once. */
    public List<ObjectNode> renderAll() {
        return users.all().stream().map(this::render).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            fail(exchange, 405, "Method not allowed");
            return;
        }
        if (!authorised(exchange)) {
            fail(exchange, 401, "Unauthorized");
            return;
        }
        Matcher path = USERS_PATH.matcher(exchange.getRequestURI().getPath());
        if (!path.matches() || !path.group(1).equals(projectId)) {
            fail(exchange, 404, "Project not found");
            return;
        }
        pageRequests.incrementAndGet();
        Map<String, String> query = SimServer.query(exchange);
        try {
            beforePage.accept(query);
        } catch (RuntimeException e) {
            // answered here: SimServer's own 500 comes after the exchange is closed, and the client then retries
            fail(exchange, 500, "Internal server error");
            return;
        }
        List<SimUser> page;
        try {
            page = users.page(startId(query), startIdInclusive, limit(query), MercuryQuery.parse(query, stageIds));
        } catch (IllegalArgumentException e) {
            fail(exchange, 400, e.getMessage());
            return;
        }
        ObjectNode body = SimServer.JSON.createObjectNode().put("success", true);
        ArrayNode items = body.putObject("data").putArray("items");
        page.forEach(user -> items.add(defects.get(user.uuid()) == Defect.NULL_RECORD ? null : render(user)));
        byte[] bytes = SimServer.JSON.writeValueAsBytes(body);
        if (defects.containsValue(Defect.INVALID_UTF8)) {
            bytes = breakUtf8(bytes);
        }
        SimServer.respondBytes(exchange, 200, bytes);
    }

    /** Mercury's "usual keys": {@code success} false, and what went wrong. */
    private static void fail(HttpExchange exchange, int status, String error) throws IOException {
        SimServer.respond(exchange, status, Map.of("success", false, "error", error));
    }

    private boolean authorised(HttpExchange exchange) {
        String expected = authScheme == null ? apiKey : authScheme + " " + apiKey;
        return expected.equals(exchange.getRequestHeaders().getFirst(authHeader));
    }

    private UUID startId(Map<String, String> query) {
        String startId = query.get("startId");
        if (ignoreStartId || startId == null || startId.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(startId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("startId " + startId + " is not a user id");
        }
    }

    private static int limit(Map<String, String> query) {
        String limit = query.getOrDefault("limit", "50");
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("limit must be a positive number, not " + limit);
    }

    /** Replaces every invalid-UTF-8 mark of a page with bytes that are not UTF-8. */
    private static byte[] breakUtf8(byte[] bytes) {
        byte[] mark = INVALID_UTF8_MARK.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + mark.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + mark.length, mark, 0, mark.length)) {
                System.arraycopy(INVALID_UTF8_BYTES, 0, bytes, i, mark.length);
            }
        }
        return bytes;
    }

    /** A user as Mercury's example shows one; the properties are the user's context parameters. */
    private ObjectNode render(SimUser user) {
        ObjectNode json = SimServer.JSON.createObjectNode();
        Defect defect = defects.isEmpty() ? null : defects.get(user.uuid());
        if (defect == Defect.USER_ID_AS_OBJECT) {
            json.putObject("userId").put("id", user.userId());
        } else if (defect != Defect.NO_USER_ID) {
            json.put("userId", user.userId());
        }
        json.put("firstName", defect == Defect.LONG_NAME ? "N".repeat(10_000) : user.firstName())
                .put("lastName", defect == Defect.INVALID_UTF8 ? user.lastName() + INVALID_UTF8_MARK : user.lastName());
        if (defect == Defect.NAME_AS_LIST) {
            json.putArray("firstName").add(user.firstName());
        }
        if (defect == Defect.TIME_AS_NUMBER) {
            json.put("lastInteractionTime", user.lastInteractionMillis());
        } else if (defect == Defect.UNPARSEABLE_TIME) {
            json.put("lastInteractionTime", "17/03/2020 quarter past four");
        } else {
            json.put("lastInteractionTime", user.lastInteractionTime());
        }
        if (defect == Defect.PROPERTIES_AS_TEXT) {
            json.put("properties", "user.locale=" + user.locale());
            return json;
        }
        if (defect == Defect.PROPERTIES_AS_LIST) {
            json.putArray("properties").add(user.locale());
            return json;
        }
        ObjectNode properties = json.putObject("properties")
                .put("user.locale", user.locale())
                .put("user.firstName", user.firstName())
                .put("user.lastName", user.lastName())
                .put("user.company", user.company());
        if (defect == Defect.LONG_EMAIL) {
            properties.put("user.email", "e".repeat(1_000) + "@example.com");
        } else if (user.email() != null) {
            properties.put("user.email", user.email());
        }
        if (user.phone() != null) {
            properties.put("user.phone", user.phone());
        }
        properties.put("user.newsletter", user.newsletter());
        return json;
    }

    @Override
    public String toString() {
        return "Mercury simulator at " + baseUrl() + " (" + userCount() + " users)";
    }
}
