package io.botsync.push;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A change as a webhook receives it: the user as the warehouse names its columns ({@link io.botsync.model.UserJson}),
 * plus {@code change_id} (also in the {@code Idempotency-Key}), {@code change} ({@code inserted}, {@code updated},
 * {@code deleted}), {@code deleted} and {@code content_hash}.
 */
final class ChangeJson {

    private ChangeJson() {
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
