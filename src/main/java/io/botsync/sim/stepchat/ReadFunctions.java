package io.botsync.sim.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code get-users}, {@code get-new-users}, {@code get-user}, {@code get-user-by}, {@code count-users}. */
final class ReadFunctions {

    static final List<String> ALL_TYPES = List.of("visitor", "lead", "user", "agent", "admin");
    static final int PAGE = 100;

    private final UserStore store;

    ReadFunctions(UserStore store) {
        this.store = store;
    }

    /** Sorted, filtered, 100 a page when {@code pagination} is given, else every match. */
    JsonNode getUsers(Map<String, String> form) {
        List<String> sorting = strings(form.getOrDefault("sorting", "[\"creation_time\",\"DESC\"]"), "sorting");
        String column = sorting.isEmpty() ? "creation_time" : sorting.get(0);
        String order = sorting.size() < 2 ? "DESC" : sorting.get(1).toUpperCase(Locale.ROOT);
        if (!UserStore.SORTABLE.contains(column)) {
            throw new ApiError("MySQL error: Unknown column '" + column + "' in 'order clause'");
        }
        if (!order.equals("ASC") && !order.equals("DESC")) {
            throw new ApiError("MySQL error: You have an error in your SQL syntax near '" + order + "'");
        }
        Set<String> types = form.containsKey("user_types")
                ? new HashSet<>(strings(form.get("user_types"), "user_types")) : new HashSet<>(ALL_TYPES);
        String search = form.getOrDefault("search", "").strip().toLowerCase(Locale.ROOT);
        long[] ids;
        if (isSet(form.get("user_ids"))) {
            Set<String> wanted = new HashSet<>(strings(form.get("user_ids"), "user_ids"));
            List<SimUser> users = new ArrayList<>();
            for (String id : wanted) {
                SimUser user = id.matches("\\d{1,18}") ? store.get(Long.parseLong(id)) : null;
                if (user != null && types.contains(user.type())) {
                    users.add(user);
                }
            }
            ids = store.sort(users, column, order.equals("DESC"));
        } else {
            ids = store.sorted(column, order.equals("DESC"), types);
        }
        boolean extra = "true".equals(form.get("extra"));
        int page = pagination(form.get("pagination"));
        ArrayNode response = SimServer.JSON.createArrayNode();
        int skip = page == 0 ? 0 : (page - 1) * PAGE;
        int matched = 0;
        for (long id : ids) {
            SimUser user = store.get(id);
            if (user == null || (!search.isEmpty() && !matches(user, search))) {
                continue;
            }
            if (matched++ < skip) {
                continue;
            }
            response.add(UserJson.full(user, store.fields(user), extra));
            if (page > 0 && response.size() == PAGE) {
                break;
            }
        }
        return response;
    }

    /** Users created after an id or a {@code YYYY-MM-DD[ HH:MM:SS]} (UTC), newest first, of every type. */
    JsonNode getNewUsers(Map<String, String> form) {
        String datetime = form.getOrDefault("datetime", "").strip();
        if (datetime.isEmpty()) {
            throw new ApiError("missing-argument-datetime");
        }
        List<SimUser> users;
        if (datetime.matches("\\d{1,18}")) {
            long after = Long.parseLong(datetime);
            users = store.all(user -> user.id() > after);
        } else {
            long after = seconds(datetime);
            users = store.all(user -> user.created() > after);
        }
        ArrayNode response = SimServer.JSON.createArrayNode();
        for (int i = users.size() - 1; i >= 0; i--) {
            response.add(UserJson.full(users.get(i), store.fields(users.get(i)), false));
        }
        return response;
    }

    JsonNode getUser(Map<String, String> form) {
        SimUser user = user(form.get("user_id"));
        return user == null ? BooleanNode.FALSE : UserJson.full(user, store.fields(user), "true".equals(form.get("extra")));
    }

    /** By email, first_name, last_name, phone, or any detail slug; the first match, or {@code false}. */
    JsonNode getUserBy(Map<String, String> form) {
        String by = form.getOrDefault("by", "");
        String value = form.getOrDefault("value", "");
        if (by.equals("email")) {
            Long owner = store.ownerOfEmail(value);
            SimUser user = owner == null ? null : store.get(owner);
            return user == null ? BooleanNode.FALSE : UserJson.brief(user, store.fields(user));
        }
        List<SimUser> found = store.all(user -> {
            Written fields = store.fields(user);
            String actual = switch (by) {
                case "first_name" -> fields.firstName();
                case "last_name" -> fields.lastName();
                default -> fields.details().containsKey(by) ? fields.details().get(by)[0] : null;
            };
            return value.equals(actual);
        });
        return found.isEmpty() ? BooleanNode.FALSE : UserJson.brief(found.get(0), store.fields(found.get(0)));
    }

    /** Counts as text; agents and admins appear only inside {@code all}, as in the reference's example. */
    JsonNode countUsers() {
        long[] counts = new long[ALL_TYPES.size()];
        for (SimUser user : store.all(user -> true)) {
            counts[ALL_TYPES.indexOf(user.type())]++;
        }
        ObjectNode response = SimServer.JSON.createObjectNode();
        response.put("all", String.valueOf(store.count()));
        response.put("lead", String.valueOf(counts[1]));
        response.put("user", String.valueOf(counts[2]));
        response.put("visitor", String.valueOf(counts[0]));
        return response;
    }

    SimUser user(String id) {
        return id != null && id.strip().matches("\\d{1,18}") ? store.get(Long.parseLong(id.strip())) : null;
    }

    private boolean matches(SimUser user, String search) {
        Written fields = store.fields(user);
        for (String value : new String[] {fields.firstName(), fields.lastName(), fields.email()}) {
            if (value != null && value.toLowerCase(Locale.ROOT).contains(search)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank() && !value.equals("false");
    }

    private static int pagination(String value) {
        if (!isSet(value)) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw new ApiError("MySQL error: You have an error in your SQL syntax near 'LIMIT " + value + "'");
        }
    }

    static long seconds(String datetime) {
        try {
            return datetime.length() <= 10
                    ? LocalDate.parse(datetime).atStartOfDay(ZoneOffset.UTC).toEpochSecond()
                    : LocalDateTime.parse(datetime, UserJson.DATE.withZone(null)).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ApiError("MySQL error: Incorrect DATETIME value: '" + datetime + "'");
        }
    }

    /** A JSON array parameter, as StepChat takes arrays: {@code ["a","b"]} or {@code [1,2]}. */
    static List<String> strings(String json, String name) {
        try {
            JsonNode node = SimServer.JSON.readTree(json);
            if (node == null || !node.isArray()) {
                throw new ApiError("invalid-argument-" + name);
            }
            List<String> values = new ArrayList<>();
            node.forEach(item -> values.add(item.asText()));
            return values;
        } catch (IOException e) {
            throw new ApiError("invalid-argument-" + name);
        }
    }
}
