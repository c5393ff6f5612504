package io.botsync.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.CanonicalUser;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The canonical user as a webhook receives it: the warehouse's column names (README "crm_user"), plus
 * {@code change_id} (also the {@code Idempotency-Key}) and {@code change} ({@code inserted}, {@code updated},
 * {@code deleted}). {@code attributes} is a JSON object, timestamps ISO-8601 UTC.
 */
final class UserJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private UserJson() {
    }

    static String body(List<PushChange> changes, boolean asArray) {
        if (!asArray) {
            return of(changes.get(0)).toString();
        }
        ArrayNode array = JSON.createArrayNode();
        changes.forEach(change -> array.add(of(change)));
        return array.toString();
    }

    static ObjectNode of(PushChange change) {
        CanonicalUser user = change.user();
        ObjectNode json = JSON.createObjectNode();
        json.put("change_id", change.id());
        json.put("change", change.kind());
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
        json.put("deleted", change.deleted());
        json.put("content_hash", user.contentHash());
        return json;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static JsonNode attributes(String text) {
        try {
            return text == null ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("crm_user.attributes is not JSON: " + e.getMessage(), e);
        }
    }
}
