package io.botsync.source.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import io.botsync.source.SourceException;
import java.util.Iterator;

/**
 * {@code count-users}: {@code {"all": "335", "lead": "288", "user": "15", "visitor": "28"}}, counts as text.
 * Types it does not list (agents, admins) are only inside {@code all}; when such a type is configured, the whole
 * unlisted remainder counts for it, which can only make a full scan's check stricter.
 */
final class UserCount {

    private final StepChatSettings settings;
    private final StepChatApi api;

    UserCount(StepChatSettings settings, StepChatApi api) {
        this.settings = settings;
        this.api = api;
    }

    long ofConfiguredTypes() {
        JsonNode counts = api.call("count-users", java.util.Map.of());
        if (!counts.isObject() || !counts.has("all")) {
            throw new SourceException(settings.source() + ": StepChat count-users answered " + abbreviate(counts)
                    + ", not counts by user type; a full scan cannot be verified without it");
        }
        long total = 0;
        long listed = 0;
        boolean unlistedConfigured = false;
        for (Iterator<String> types = counts.fieldNames(); types.hasNext(); ) {
            String type = types.next();
            if (!type.equals("all")) {
                listed += number(counts, type);
            }
        }
        for (String type : settings.userTypes()) {
            if (counts.has(type)) {
                total += number(counts, type);
            } else {
                unlistedConfigured = true;
            }
        }
        if (unlistedConfigured) {
            total += Math.max(0, number(counts, "all") - listed);
        }
        return total;
    }

    private long number(JsonNode counts, String type) {
        try {
            return Long.parseLong(counts.path(type).asText().strip());
        } catch (NumberFormatException e) {
            throw new SourceException(settings.source() + ": StepChat count-users gave '" + counts.path(type).asText()
                    + "' for " + type + ", not a number");
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
