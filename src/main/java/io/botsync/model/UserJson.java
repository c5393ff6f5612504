package io.botsync.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;

/**
 * A canonical user as JSON, named as the warehouse names its columns (README "crm_user"): {@code attributes} is a
 * JSON object, timestamps ISO-8601 UTC. What push targets receive and what a mapped page shows to ops' steps.
 */
public final class UserJson {

    public static final ObjectMapper JSON = new ObjectMapper();

    private UserJson() {
    }

    /** Writes the user's fields into {@code json}, after what it holds already; {@code content_hash} comes last. */
    public static ObjectNode write(CanonicalUser user, ObjectNode json) {
        json.put("source", user.source());
        json.put("external_id", user.externalId());
        json.put("email", user.email());
        json.put("phone", user.phone());
        json.put("first_name", user.firstName());
        json.put("last_name", user.lastName());
        json.put("display_name", user.displayName());
        json.put("user_type", user.userType());
        json.put("locale", user.locale());
        json.put("created_at", text(user.createdAt()));
        json.put("updated_at", text(user.updatedAt()));
        json.set("attributes", attributes(user.attributes()));
        return json;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static JsonNode attributes(String text) {
        try {
            return text == null ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("attributes are not JSON: " + e.getMessage(), e);
        }
    }
}
