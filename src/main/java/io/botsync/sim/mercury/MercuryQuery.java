package io.botsync.sim.mercury;

import com.fasterxml.jackson.databind.JsonNode;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The selection a request asks for, as the reference describes it: {@code stageIds} (comma-separated),
 * {@code filters} (a JSON array of {@code {mode, field, operator, value}}, all of which must hold) and
 * {@code sortBy} (comma-separated properties, each prefixed {@code +} or {@code -}). The reference links to an
 * operator list that it does not include; the simulator knows {@code =}, {@code !=} and {@code contains}.
 * A request it cannot read is answered 400, as a strict server would.
 */
record MercuryQuery(Predicate<SimUser> filter, Comparator<SimUser> order) {

    /** @throws IllegalArgumentException saying what is wrong with the request */
    static MercuryQuery parse(Map<String, String> query, List<String> stageIds) {
        Predicate<SimUser> filter = user -> true;
        String stages = query.get("stageIds");
        if (stages != null && !stages.isBlank()) {
            List<Integer> wanted = new ArrayList<>();
            for (String id : stages.split(",")) {
                int index = stageIds.indexOf(id.trim());
                if (index < 0) {
                    throw new IllegalArgumentException("unknown stage " + id.trim());
                }
                wanted.add(index);
            }
            filter = user -> wanted.contains(user.stage());
        }
        String filters = query.get("filters");
        if (filters != null && !filters.isBlank()) {
            filter = filter.and(filters(filters));
        }
        String sortBy = query.get("sortBy");
        return new MercuryQuery(filter, sortBy == null || sortBy.isBlank() ? null : order(sortBy));
    }

    private static Predicate<SimUser> filters(String json) {
        JsonNode definitions;
        try {
            definitions = SimServer.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("filters is not JSON");
        }
        if (!definitions.isArray()) {
            throw new IllegalArgumentException("filters is not a JSON array");
        }
        Predicate<SimUser> all = user -> true;
        for (JsonNode definition : definitions) {
            String field = definition.path("field").asText();
            String value = definition.path("value").asText();
            Predicate<SimUser> test = switch (definition.path("operator").asText()) {
                case "=" -> user -> value.equals(property(user, field));
                case "!=" -> user -> !value.equals(property(user, field));
                case "contains" -> user -> Objects.toString(property(user, field), "").contains(value);
                default -> throw new IllegalArgumentException("unknown operator " + definition.path("operator"));
            };
            all = all.and(switch (definition.path("mode").asText("include")) {
                case "include" -> test;
                case "exclude" -> test.negate();
                default -> throw new IllegalArgumentException("mode must be include or exclude");
            });
        }
        return all;
    }

    private static Comparator<SimUser> order(String sortBy) {
        Comparator<SimUser> order = null;
        for (String term : sortBy.split(",")) {
            String trimmed = term.trim();
            if (trimmed.length() < 2 || (trimmed.charAt(0) != '+' && trimmed.charAt(0) != '-')) {
                throw new IllegalArgumentException("sortBy term '" + trimmed + "' needs a + or - prefix");
            }
            String field = trimmed.substring(1);
            Comparator<SimUser> one = Comparator.comparing(user -> property(user, field),
                    Comparator.nullsLast(Comparator.naturalOrder()));
            one = trimmed.charAt(0) == '-' ? one.reversed() : one;
            order = order == null ? one : order.thenComparing(one);
        }
        return order;
    }

    /** A context parameter as text, the way filters and sorting see it; null when the user has none. */
    static String property(SimUser user, String field) {
        return switch (field) {
            case "user.firstName" -> user.firstName();
            case "user.lastName" -> user.lastName();
            case "user.locale" -> user.locale();
            case "user.company" -> user.company();
            case "user.email" -> user.email();
            case "user.phone" -> user.phone();
            case "user.newsletter" -> Boolean.toString(user.newsletter());
            default -> null;
        };
    }
}
