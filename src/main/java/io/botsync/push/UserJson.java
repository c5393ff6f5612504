package io.botsync.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The canonical user as a webhook receives it: the warehouse's column names ({@link io.botsync.model.UserJson}), plus
 * {@code change_id} (also the {@code Idempotency-Key}), {@code change} ({@code inserted}, {@code updated},
 * {@code deleted}), {@code deleted} and {@code content_hash}.
 */
final class UserJson {

    private UserJson() {
    }

    static String body(List<PushChange> changes, boolean asArray) {
        if (!asArray) {
            return of(changes.get(0)).toString();
        }
        ArrayNode array = io.botsync.model.UserJson.JSON.createArrayNode();
        changes.forEach(change -> array.add(of(change)));
        return array.toString();
    }

    static ObjectNode of(PushChange change) {
        ObjectNode json = io.botsync.model.UserJson.JSON.createObjectNode();
        json.put("change_id", change.id());
        json.put("change", change.kind());
        io.botsync.model.UserJson.write(change.user(), json);
        json.put("deleted", change.deleted());
        json.put("content_hash", change.user().contentHash());
        return json;
    }
}
