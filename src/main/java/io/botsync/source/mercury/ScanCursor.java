package io.botsync.source.mercury;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The cursor part. Mercury has no change filter, so there is nothing like "changed since" to remember: every run
 * is a full scan, and the cursor only says where an unfinished scan got to.
 *
 * <ul>
 *   <li>{@code {"startId": "<userId>"}}: a scan is under way; the next page starts at (or after) that user,
 *       the last one of the last committed page.</li>
 *   <li>{@code {}}: no scan under way (written by the page that completes a scan). No cursor at all, as on a
 *       first run, means the same.</li>
 * </ul>
 */
final class ScanCursor {

    /** What the completing page commits: a cleared cursor, as an empty JSON object rather than null. */
    static final String CLEARED = "{}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScanCursor() {
    }

    static String at(String startId) {
        return startId == null ? CLEARED : JSON.createObjectNode().put("startId", startId).toString();
    }

    /**
     * The {@code startId} an unfinished scan stopped at, or null when there is none.
     *
     * @throws IllegalArgumentException when the text is not a cursor this class wrote
     */
    static String startId(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(cursor);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode startId = node.path("startId");
        if (startId.isMissingNode() || startId.isNull()) {
            return null;
        }
        if (!startId.isTextual() || startId.textValue().isBlank()) {
            throw new IllegalArgumentException("startId is not a user id");
        }
        return startId.textValue();
    }
}
