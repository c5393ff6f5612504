package io.botsync.sim.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.botsync.sim.PlatformSimulator;
import io.botsync.sim.SimFaults;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * StepChat on loopback: {@code POST /api.php} with the admin {@code token}, the {@code function} and its
 * parameters as a form; every answer is {@code {"success": ..., "response": ...}} with HTTP 200, a refusal
 * included ({@code invalid-token}, {@code duplicate-email}, a MySQL error), as the platform does.
 *
 * <p>Its clock is its own (it starts at {@link #START}) so that tests and the demo are reproducible; tests move
 * it with {@link #advance(Duration)}.
 */
public final class StepChatSimulator implements PlatformSimulator {

    public static final Instant START = Instant.parse("2024-06-01T12:00:00Z");
    static final Set<String> CONTACTS = Set.of("visitor", "lead", "user");

    private final long seed;
    private final UserGenerator generator;
    private final UserStore store;
    private final ReadFunctions reads;
    private final WriteFunctions writes;
    private final String adminToken;
    private final SimServer server;
    private final List<Map<String, String>> calls = Collections.synchronizedList(new ArrayList<>());
    private final Deque<String[]> failures = new ArrayDeque<>();
    private volatile long now = START.getEpochSecond();
    private volatile Consumer<Map<String, String>> beforeEachCall = call -> { };
    private int mutations;

    private StepChatSimulator(int users, long seed) {
        this.seed = seed;
        this.generator = new UserGenerator(seed);
        this.store = new UserStore(generator);
        this.reads = new ReadFunctions(store);
        this.writes = new WriteFunctions(store, reads, () -> now);
        SplittableRandom random = new SplittableRandom(seed);
        this.adminToken = Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        generate(users);
        this.server = new SimServer("stepchat").route("/api.php", this::handle).start();
    }

    private final Map<String, Integer> answersToLose = new java.util.concurrent.ConcurrentHashMap<>();

    public static StepChatSimulator start(int users, long seed) {
        return new StepChatSimulator(users, seed);
    }

    /** A year of sign-ups before {@link #START}, in id order; each active some time between sign-up and now. */
    private void generate(int users) {
        long span = Duration.ofDays(365).getSeconds();
        long first = now - span;
        for (int i = 1; i <= users; i++) {
            long created = first + (span - 3600) * (i - 1) / Math.max(1, users);
            long active = created + new SplittableRandom(seed + i * 7919L).nextLong(now - created + 1);
            store.put(new SimUser(i, generator.type(i), created, active, 0, null));
        }
    }

    @Override
    public boolean addPerson(String firstName, String lastName, String email, String phone) {
        Map<String, String[]> details = new LinkedHashMap<>();
        if (phone != null) {
            details.put("phone", new String[] {phone, "Phone"});
        }
        synchronized (store) {
            store.put(new SimUser(store.nextId(), "lead", now, now, 0,
                    new Written(firstName, lastName, email, null, "", null, "", details, null)));
        }
        return true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> form = SimServer.form(exchange);
        String[] failure;
        synchronized (failures) {
            failure = failures.poll();
        }
        if (failure != null) {
            byte[] body = failure[1].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(failure[0]), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            return;
        }
        Map<String, String> logged = new LinkedHashMap<>(form);
        logged.remove("token");
        calls.add(logged);
        ObjectNode envelope = SimServer.JSON.createObjectNode();
        if (!adminToken.equals(form.get("token"))) {
            envelope.put("success", false).put("response", "invalid-token");
        } else {
            String function = form.getOrDefault("function", "");
            beforeEachCall.accept(logged);
            try {
                envelope.put("success", true).set("response", call(function, form));
            } catch (ApiError e) {
                envelope.put("success", false).put("response", e.getMessage());
            }
        }
        String function = form.getOrDefault("function", "");
        if (answersToLose.getOrDefault(function, 0) > 0) {
            answersToLose.merge(function, -1, Integer::sum);
            exchange.close(); // the call was carried out; its answer never leaves
            return;
        }
        SimServer.respond(exchange, 200, envelope);
    }

    private JsonNode call(String function, Map<String, String> form) {
        return switch (function) {
            case "get-users" -> reads.getUsers(form);
            case "get-new-users" -> reads.getNewUsers(form);
            case "get-user" -> reads.getUser(form);
            case "get-user-by" -> reads.getUserBy(form);
            case "count-users" -> reads.countUsers();
            case "add-user" -> writes.addUser(form);
            case "update-user" -> writes.updateUser(form);
            case "delete-user" -> writes.deleteUser(form);
            case "delete-users" -> writes.deleteUsers(form);
            default -> throw new ApiError("function-not-found");
        };
    }

    @Override
    public String platform() {
        return "stepchat";
    }

    /** The api.php URL. */
    public String url() {
        return server.baseUrl() + "/api.php";
    }

    public String adminToken() {
        return adminToken;
    }

    @Override
    public Map<String, String> sourceProperties(String sourceName) {
        return Map.of("botsync." + sourceName + ".url", url(), "botsync." + sourceName + ".token", adminToken);
    }

    /**
     * One minute later, {@code changed} contacts change their name and email (and so their activity) and
     * {@code added} new contacts sign up.
     */
    @Override
    public synchronized void mutate(int changed, int added) {
        now += 60;
        SplittableRandom random = new SplittableRandom(seed ^ (0x5DEECE66DL * ++mutations));
        List<SimUser> candidates = store.all(user -> CONTACTS.contains(user.type()) && user.written() == null);
        for (int i = 0; i < changed && !candidates.isEmpty(); i++) {
            int pick = random.nextInt(candidates.size());
            SimUser user = candidates.set(pick, candidates.get(candidates.size() - 1));
            candidates.remove(candidates.size() - 1);
            store.put(user.changed(now));
        }
        for (int i = 0; i < added; i++) {
            long id = store.nextId();
            store.put(new SimUser(id, generator.contactType(id), now, now, 0, null));
        }
    }

    @Override
    public SimFaults faults() {
        return server.faults();
    }

    @Override
    public int userCount() {
        return store.count();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- knobs for tests and the demo ----

    public Instant now() {
        return Instant.ofEpochSecond(now);
    }

    public void advance(Duration duration) {
        now += duration.getSeconds();
    }

    /** The ids of the live users of these types, ascending. */
    public List<Long> ids(String... types) {
        Set<String> wanted = Set.of(types);
        return store.all(user -> wanted.contains(user.type())).stream().map(SimUser::id).toList();
    }

    /** Every user's login token and password: what botsync must never log, land or store (tests search for them). */
    public List<String> userSecrets() {
        return store.all(user -> true).stream()
                .map(store::fields)
                .flatMap(fields -> java.util.stream.Stream.of(fields.loginToken(), fields.password()))
                .filter(secret -> secret != null && !secret.isEmpty()).toList();
    }

    /** The user's current type, or null when there is no such user. */
    public String typeOf(long id) {
        SimUser user = store.get(id);
        return user == null ? null : user.type();
    }

    /** The user changes their data now (a new name and email): {@code last_activity} moves to now. */
    public void change(long id) {
        store.put(existing(id).changed(now));
    }

    /** The user is active now without changing anything. */
    public void touch(long id) {
        store.put(existing(id).withActivity(now));
    }

    public void delete(long id) {
        store.delete(id);
    }

    /** From now on the user's {@code last_activity} is rendered as this text, as a broken platform might. */
    public void setRawLastActivity(long id, String text) {
        SimUser user = existing(id);
        store.put(user.withWritten(store.fields(user).copy().withRawActivity(text)));
    }

    /**
     * Runs before every authorised call is answered, with the call's form (without the token): lets a test
     * change users between the pages of a pass.
     */
    public void beforeEachCall(Consumer<Map<String, String>> hook) {
        this.beforeEachCall = hook == null ? call -> { } : hook;
    }

    /** The next call is answered with this raw status and body instead (a proxy error page, a PHP warning...). */
    public void failNextCall(int status, String body) {
        synchronized (failures) {
            failures.add(new String[] {String.valueOf(status), body});
        }
    }

    /** The next {@code times} calls of {@code function} are carried out, and their answers lost (the connection ends). */
    public void loseAnswersOf(String function, int times) {
        answersToLose.put(function, times);
    }

    /** Every call received, its form without the admin token, in order. */
    public List<Map<String, String>> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private SimUser existing(long id) {
        SimUser user = store.get(id);
        if (user == null) {
            throw new IllegalArgumentException("no StepChat user " + id);
        }
        return user;
    }
}
