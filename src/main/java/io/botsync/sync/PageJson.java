package io.botsync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.UserJson;

/**
 * Pages as JSON, for ops' steps that write or log them (Camel's type converters): a fetched page is the JSON array of
 * its records as the platform sent them, secrets removed; a mapped page is {@code {"users": [...], "rejected": [...]}}
 * with the users as the warehouse names its columns.
 */
final class PageJson {

    private PageJson() {
    }

    static String fetched(FetchedPage page) {
        try {
            return UserJson.JSON.writeValueAsString(page.records());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a page's records are not JSON: " + e.getMessage(), e);
        }
    }

    static String mapped(MappedPage page) {
        ObjectNode json = UserJson.JSON.createObjectNode();
        ArrayNode users = json.putArray("users");
        page.users().forEach(user -> UserJson.write(user, users.addObject()).put("content_hash", user.contentHash()));
        ArrayNode rejected = json.putArray("rejected");
        page.rejections().forEach(r -> rejected.addObject().put("external_id", r.externalId()).put("reason", r.reason()));
        return json.toString();
    }
}
