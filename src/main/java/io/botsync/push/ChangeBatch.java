package io.botsync.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.botsync.model.UserJson;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The body of an exchange that {@code botsync:outbox} emits: a batch of a target's changes, in change id order, each
 * with the user as the warehouse holds it now. Converts to the JSON a webhook receives (README "Pushing changes"): one
 * object when the outbox sends one change at a time ({@code batchSize=1}), else an array.
 */
public final class ChangeBatch {

    private final String target;
    private final List<PushChange> changes;
    private final boolean asArray;

    ChangeBatch(String target, List<PushChange> changes, boolean asArray) {
        this.target = target;
        this.changes = List.copyOf(changes);
        this.asArray = asArray;
    }

    /**
     * The batch an exchange from {@code botsync:outbox} carries, whatever the route made of its body.
     *
     * @throws IllegalArgumentException naming the endpoint, for an exchange that did not come from an outbox
     */
    static ChangeBatch of(Exchange exchange, String endpoint) {
        ChangeBatch batch = exchange.getProperty(OutboxHeaders.BATCH, ChangeBatch.class);
        if (batch == null) {
            throw new IllegalArgumentException(endpoint + " works on the changes of a botsync:outbox exchange; this one has none");
        }
        return batch;
    }

    public String target() {
        return target;
    }

    public List<PushChange> changes() {
        return changes;
    }

    /** The batch as JSON: an object for a lone change of a one-at-a-time outbox, else an array. */
    public String json() {
        if (!asArray) {
            return ChangeJson.of(changes.get(0)).toString();
        }
        ArrayNode array = UserJson.JSON.createArrayNode();
        changes.forEach(change -> array.add(ChangeJson.of(change)));
        return array.toString();
    }

    /** Whether the batch goes out as a JSON array (else a lone change as an object). */
    boolean sentAsArray() {
        return asArray;
    }

    /** {@code first} or {@code first-last}: the same for every delivery of the same changes. */
    String idempotencyKey() {
        long first = changes.get(0).id();
        long last = changes.get(changes.size() - 1).id();
        return first == last ? Long.toString(first) : first + "-" + last;
    }

    @Override
    public String toString() {
        return target + " changes " + idempotencyKey();
    }
}
