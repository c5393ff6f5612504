package io.botsync.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.Rejection;
import java.util.List;

/**
 * One page of a platform's users, as one Camel exchange carries it through the pipeline.
 *
 * @param records the platform's user objects, secrets already removed
 * @param cursor  the source's whole cursor (JSON text) to commit with this page's rows, or null for
 *                "no cursor": a reader that must not advance mid-pass returns the cursor it started from
 * @param last    true on the page that completes the pass (it may have no records)
 * @param request what was asked for, without secrets (e.g. {@code since=...&skip=200}), for logs and landing
 * @param unreadable records that could not even be read as records (an import's broken line), with the reason
 */
public record Page(List<ObjectNode> records, String cursor, boolean last, String request, List<Rejection> unreadable) {

    public Page(List<ObjectNode> records, String cursor, boolean last, String request) {
        this(records, cursor, last, request, List.of());
    }
}
