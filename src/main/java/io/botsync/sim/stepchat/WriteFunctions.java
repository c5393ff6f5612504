package io.botsync.sim.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The write side a push needs: {@code add-user}, {@code update-user} (details through {@code settings_extra}),
 * {@code delete-user}, {@code delete-users}. Writes by the admin API do not touch {@code last_activity}: that is
 * the user's own activity, not the admin's.
 */
final class WriteFunctions {

    private final UserStore store;
    private final ReadFunctions reads;
    private final LongSupplier now;

    WriteFunctions(UserStore store, ReadFunctions reads, LongSupplier now) {
        this.store = store;
        this.reads = reads;
        this.now = now;
    }

    /** Answers the new user's id; {@code duplicate-email} or {@code invalid-user-type} otherwise. */
    synchronized JsonNode addUser(Map<String, String> form) {
        long id = store.nextId();
        String email = blankToNull(form.get("email"));
        checkEmail(email, id);
        String type = type(form, email == null ? "visitor" : "user");
        SplittableRandom random = new SplittableRandom(id * 31 + now.getAsLong());
        Map<String, String[]> details = new LinkedHashMap<>();
        mergeDetails(details, form.get("extra"), "extra");
        Written fields = new Written(
                form.getOrDefault("first_name", "User"),
                form.getOrDefault("last_name", "#" + (10000 + random.nextInt(90000))),
                email, form.getOrDefault("profile_image", ""), form.getOrDefault("password", ""), null,
                Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()), details, null);
        long at = now.getAsLong();
        store.put(new SimUser(id, type, at, at, 0, fields));
        return LongNode.valueOf(id);
    }

    /** Answers {@code true}; {@code false} when there is no such user. */
    synchronized JsonNode updateUser(Map<String, String> form) {
        SimUser user = reads.user(form.get("user_id"));
        if (user == null) {
            return BooleanNode.FALSE;
        }
        Written old = store.fields(user);
        String email = old.email();
        if (form.containsKey("email")) {
            email = form.get("email").equals("NULL") ? null : blankToNull(form.get("email"));
            checkEmail(email, user.id());
        }
        String type = type(form, user.type());
        Map<String, String[]> details = new LinkedHashMap<>(old.details());
        mergeDetails(details, form.get("settings_extra"), "settings_extra");
        Written fields = new Written(
                form.getOrDefault("first_name", old.firstName()), form.getOrDefault("last_name", old.lastName()),
                email, form.getOrDefault("profile_image", old.profileImage()), form.getOrDefault("password", old.password()),
                old.department(), old.loginToken(), details, old.rawActivity());
        store.put(user.withType(type).withWritten(fields));
        return BooleanNode.TRUE;
    }

    synchronized JsonNode deleteUser(Map<String, String> form) {
        SimUser user = reads.user(form.get("user_id"));
        if (user != null) {
            store.delete(user.id());
        }
        return BooleanNode.TRUE;
    }

    synchronized JsonNode deleteUsers(Map<String, String> form) {
        for (String id : ReadFunctions.strings(form.getOrDefault("user_ids", "[]"), "user_ids")) {
            SimUser user = reads.user(id);
            if (user != null) {
                store.delete(user.id());
            }
        }
        return BooleanNode.TRUE;
    }

    private void checkEmail(String email, long self) {
        if (email != null) {
            Long owner = store.ownerOfEmail(email);
            if (owner != null && owner != self) {
                throw new ApiError("duplicate-email");
            }
        }
    }

    /** {@code user_type}, or {@code user_tyoe} as the reference spells it. */
    private static String type(Map<String, String> form, String fallback) {
        String type = form.getOrDefault("user_type", form.get("user_tyoe"));
        if (type == null || type.isBlank()) {
            return fallback;
        }
        if (!ReadFunctions.ALL_TYPES.contains(type.strip())) {
            throw new ApiError("invalid-user-type");
        }
        return type.strip();
    }

    /** {@code {"slug": ["value", "Name"], ...}}; an empty value removes the detail. */
    private static void mergeDetails(Map<String, String[]> details, String json, String name) {
        if (json == null || json.isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = SimServer.JSON.readTree(json);
        } catch (IOException e) {
            throw new ApiError("invalid-argument-" + name);
        }
        if (node == null || !node.isObject()) {
            throw new ApiError("invalid-argument-" + name);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode pair = entry.getValue();
            String value = pair.isArray() ? pair.path(0).asText("") : pair.asText("");
            String label = pair.isArray() && pair.size() > 1 ? pair.get(1).asText() : entry.getKey();
            if (value.isEmpty()) {
                details.remove(entry.getKey());
            } else {
                details.put(entry.getKey(), new String[] {value, label});
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
