package io.botsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A platform's answer: its status and body. */
public record HttpReply(int status, byte[] body, String retryAfter) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * The body as UTF-8 text. Bytes that are not UTF-8 become U+FFFD instead of failing the whole page: the
     * normaliser rejects the one record that holds them, and the rest of the page lands.
     */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body read as JSON, or null when it is not JSON: cut short or garbled on the way, which each platform's
     * reader reports as a page worth asking for again. Read from the bytes (the fast path: no copy as text); a body
     * Jackson refuses there, such as one holding bytes that are not UTF-8, is read again from {@link #text()}.
     */
    public JsonNode json() {
        try {
            return present(JSON.readTree(body));
        } catch (IOException notUtf8OrNotJson) {
            try {
                return present(JSON.readTree(text()));
            } catch (IOException notJson) {
                return null;
            }
        }
    }

    private static JsonNode present(JsonNode body) {
        return body == null || body.isMissingNode() ? null : body;
    }

    /** The body as text, cut short so that it can go into an error message. */
    public String excerpt() {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
