package io.botsync.source.mercury;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.source.HttpReply;
import java.util.ArrayList;
import java.util.List;

/**
 * The page part: Mercury's envelope {@code {"success": true, "data": {"items": [...]}}} and the record selection
 * (the items). {@code success} must be the boolean true; anything else is an error, not an empty page, because
 * an empty page ends a full scan and would mark every unseen user deleted.
 *
 * <p>Mercury's user objects hold no secret (id, names, last interaction, context parameters), so records are
 * passed on as they came. An item that is not an object is wrapped as {@code {"item": <value>}} so that it is
 * rejected with its payload (it has no userId) instead of vanishing.
 */
final class MercuryEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MercuryEnvelope() {
    }

    static List<ObjectNode> items(HttpReply reply, String request, MercuryErrors errors) {
        if (!reply.ok()) {
            throw errors.status(reply, request);
        }
        JsonNode body = reply.json();
        if (body == null) { // cut short or garbled on the way: asking again may mend it
            throw errors.notJson(reply, request);
        }
        if (body == null || !body.path("success").isBoolean() || !body.path("success").booleanValue()) {
            throw errors.notData(reply, request, "an envelope without \"success\": true");
        }
        JsonNode items = body.path("data").path("items");
        if (!items.isArray()) {
            throw errors.notData(reply, request, "no data.items list");
        }
        List<ObjectNode> records = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            records.add(item.isObject() ? (ObjectNode) item : JSON.createObjectNode().set("item", item));
        }
        return records;
    }
}
