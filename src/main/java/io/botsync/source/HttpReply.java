package io.botsync.source;

import java.nio.charset.StandardCharsets;

/** A platform's answer: its status and body. */
public record HttpReply(int status, byte[] body, String retryAfter) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as text, cut short so that it can go into an error message. */
    public String excerpt() {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
