package io.botsync.source.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Timestamps;
import java.io.IOException;
import java.time.Instant;

/**
 * The cursor: {@code {"lastId": 881, "lastActivity": "2023-05-13 09:32:34"}}.
 *
 * <p>{@code lastId} is the greatest user id committed: the next {@code get-new-users} asks for users created
 * after it (ids are the platform's auto-increment, so "created after" = "greater id"). {@code lastActivity} is the
 * greatest {@code last_activity} a completed activity scan saw (platform time, UTC); the next scan reads
 * {@code get-users} newest-activity-first down to it minus the lookback. Either may be null (nothing seen yet):
 * then the configured start date stands in for it.
 */
record StepChatCursor(Long lastId, Instant lastActivity) {

    static StepChatCursor parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode node = StepChatApi.JSON.readTree(json);
            JsonNode id = node.path("lastId");
            JsonNode activity = node.path("lastActivity");
            return new StepChatCursor(id.isNumber() || id.isTextual() ? Long.valueOf(id.asText()) : null,
                    activity.isTextual() ? Timestamps.parse(activity.asText()) : null);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the committed StepChat cursor is not readable: " + json, e);
        }
    }

    String json() {
        ObjectNode node = StepChatApi.JSON.createObjectNode();
        if (lastId == null) {
            node.putNull("lastId");
        } else {
            node.put("lastId", lastId);
        }
        if (lastActivity == null) {
            node.putNull("lastActivity");
        } else {
            node.put("lastActivity", Timestamps.SQL_SECONDS.format(lastActivity));
        }
        return node.toString();
    }

    StepChatCursor withLastId(Long id) {
        return new StepChatCursor(id, lastActivity);
    }

    StepChatCursor withLastActivity(Instant activity) {
        return new StepChatCursor(lastId, activity);
    }
}
