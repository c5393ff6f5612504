package io.botsync.source.mercury;

import io.botsync.source.HttpReply;
import io.botsync.source.RetryableSourceException;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceException;

/**
 * The error handler: what an answer that is not a page of users means, said so that ops know which key to
 * check. Nothing is retried here: PlatformHttp retries 5xx, 429 and bodies that are not JSON first. Every excerpt of a
 * body is scrubbed of the API key, in case a server echoes what it was sent.
 */
final class MercuryErrors {

    private final SourceConfig config;
    private final String apiKey;

    MercuryErrors(SourceConfig config) {
        this.config = config;
        this.apiKey = config.require("api-key");
    }

    /** A non-2xx answer. */
    SourceException status(HttpReply reply, String request) {
        String answer = " (HTTP " + reply.status() + ": " + scrub(reply.excerpt()) + ")";
        return switch (reply.status()) {
            case 401, 403 -> new SourceException(config.name() + ": Mercury refused the credentials" + answer
                    + "; check " + config.key("api-key") + ", and " + config.key("auth-header") + " / "
                    + config.key("auth-scheme") + " if the project expects another header than 'Authorization: Bearer KEY'");
            case 404 -> new SourceException(config.name() + ": Mercury has no users endpoint at this address" + answer
                    + "; check " + config.key("base-url") + " and " + config.key("project-id"));
            case 400 -> new SourceException(config.name() + ": Mercury rejected the request " + request + answer
                    + "; check " + config.key("stage-ids") + ", " + config.key("filters") + " and " + config.key("sort-by"));
            default -> new SourceException(config.name() + ": Mercury answered " + request + " with an error" + answer);
        };
    }

    /** A 2xx answer that is not the documented {@code {"success": true, "data": {"items": [...]}}}. */
    SourceException notData(HttpReply reply, String request, String what) {
        return new SourceException(config.name() + ": Mercury answered " + request + " with " + what + ": "
                + scrub(reply.excerpt()) + "; check " + config.key("base-url") + " points at Mercury's API");
    }

    /** A 2xx answer that does not even parse, e.g. cut short: retried before it fails the source. */
    RetryableSourceException notJson(HttpReply reply, String request) {
        return new RetryableSourceException(config.name() + ": Mercury answered " + request + " with something that is not JSON: "
                + scrub(reply.excerpt()));
    }

    /** The server does not page the way {@code startId} promises; completing the scan would mark live users deleted. */
    SourceException notPaging(String request, String why) {
        return new SourceException(config.name() + ": Mercury answered " + request + " " + why
                + "; the scan stops here, unfinished, so no user is marked deleted. The committed cursor is kept;"
                + " clear it (sync_state of " + config.name() + ") or run 'sync " + config.name() + " --full' to start over");
    }

    /** A cursor in sync_state that this reader did not write. */
    SourceException badCursor(String cursor) {
        return new SourceException(config.name() + ": the committed cursor " + cursor + " is not a Mercury cursor "
                + "({\"startId\": \"<userId>\"} or {}); run 'sync " + config.name() + " --full' to start a fresh scan");
    }

    private String scrub(String text) {
        return text.replace(apiKey, "***");
    }
}
