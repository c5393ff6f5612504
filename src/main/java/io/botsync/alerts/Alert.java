package io.botsync.alerts;

/** One message to the webhook: what changed, about which source or push target. */
public record Alert(String subject, String text) {

    /** The line ops read: {@code botsync: <subject> <text>}. */
    public String message() {
        return "botsync: " + subject + " " + text;
    }
}
