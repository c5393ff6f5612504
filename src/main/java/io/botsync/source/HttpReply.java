package io.botsync.source;

import java.nio.charset.StandardCharsets;

/** A platform's answer: its status and body. */
public record HttpReply(int status, byte[] body, String retryAfter) {

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

    /** The body as text, cut short so that it can go into an error message. */
    public String excerpt() {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
