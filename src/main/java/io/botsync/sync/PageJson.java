package io.botsync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.UserJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;

/**
 * Pages as JSON, for ops' steps that write or log them (Camel's type converters): a fetched page is the JSON array of
 * its records as the platform sent them, secrets removed; a mapped page is {@code {"users": [...], "rejected": [...]}}
 * with the users as the warehouse names its columns.
 */
final class PageJson {

    private PageJson() {
    }

    /** A Camel conversion of a {@link FetchedPage} or {@link MappedPage} to {@code String}, {@code byte[]} or a stream. */
    static Object convert(Class<?> type, Exchange exchange, Object page) throws JsonProcessingException {
        String json = page instanceof FetchedPage fetched ? UserJson.JSON.writeValueAsString(fetched.records())
                : mapped((MappedPage) page);
        if (type == String.class) {
            return json;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return type == byte[].class ? bytes : new ByteArrayInputStream(bytes);
    }

    private static String mapped(MappedPage page) {
        ObjectNode json = UserJson.JSON.createObjectNode();
        ArrayNode users = json.putArray("users");
        page.users().forEach(user -> UserJson.write(user, users.addObject()).put("content_hash", user.contentHash()));
        ArrayNode rejected = json.putArray("rejected");
        page.rejections().forEach(r -> rejected.addObject().put("external_id", r.externalId()).put("reason", r.reason()));
        return json.toString();
    }
}
