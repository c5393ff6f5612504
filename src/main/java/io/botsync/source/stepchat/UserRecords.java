package io.botsync.source.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Timestamps;
import io.botsync.source.SourceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Record selection: the user objects of a {@code response} array, each stripped of its secrets. Every StepChat
 * user object carries the user's login {@code token} and {@code password}; they are removed here, before the
 * record reaches a page, a log line or the warehouse.
 */
final class UserRecords {

    static final List<String> SECRETS = List.of("token", "password");

    private UserRecords() {
    }

    static List<ObjectNode> select(JsonNode response) {
        List<ObjectNode> users = new ArrayList<>(response.size());
        for (JsonNode node : response) {
            if (node instanceof ObjectNode user) {
                user.remove(SECRETS);
                users.add(user);
            }
        }
        return users;
    }

    /**
     * A full page of users the pass has all returned already: StepChat sent a page again instead of the one asked for,
     * and paging on would loop. The pass stops before that page is returned, so nothing of it is kept.
     */
    static SourceException pageAgain(StepChatSettings settings, String request) {
        return new SourceException(settings.source() + ": StepChat answered " + request + " with a full page of users"
                + " this pass had returned already: it is sending a page again instead of paging. The pass stops here,"
                + " unfinished, with nothing of that page kept and no user flagged deleted; try again later");
    }

    /** The ids of users as StepChat gives them (text), for a full scan's seen users; users without one are left out. */
    static List<String> platformIds(List<ObjectNode> users) {
        List<String> ids = new ArrayList<>(users.size());
        for (ObjectNode user : users) {
            JsonNode id = user.get("id");
            if (id != null && id.isValueNode() && !id.isNull() && !id.asText().isBlank()) {
                ids.add(id.asText());
            }
        }
        return ids;
    }

    /** The numeric id, or null when the id is missing or not a number. */
    static Long id(JsonNode user) {
        return numericId(user.path("id").asText(""));
    }

    static Long numericId(String text) {
        try {
            return text.isEmpty() ? null : Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code last_activity} as an instant, or null when absent or unparseable (the mapping then rejects the record). */
    static Instant lastActivity(JsonNode user) {
        JsonNode value = user.path("last_activity");
        if (!value.isTextual()) {
            return null;
        }
        try {
            return Timestamps.parse(value.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
