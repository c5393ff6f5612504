package io.botsync.source.instabot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.mapping.Timestamps;
import io.botsync.source.SourceConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * The cursor: {@code {"lastUpdateDate": "2024-05-01T12:00:00.123456700Z"}}, the greatest {@code updateDate} a
 * completed pass read, kept to the platform's full precision.
 *
 * <p>The next incremental read asks {@code since} = cursor minus the lookback, truncated to the whole second
 * ({@code since} has no fraction, and Instabot treats it as inclusive), so users that share the cursor's second
 * are read again, as are users whose {@code updateDate} was stamped by a clock a little behind ours. Reading a
 * user twice costs nothing: an unchanged content hash writes nothing.
 *
 * <p>The cursor never passes what a complete read proved. Results come in no documented order, so the greatest
 * {@code updateDate} of one page says nothing about the pages still to come: pages before the last carry the
 * cursor the pass started from. And a completed pass proves only what had changed when it began: a user
 * changed during the pass may have been read in its old version while a later-changed user was read in its new
 * one, so the committed value is capped at the instant the pass began (the lookback covers the skew between
 * that clock and Instabot's).
 */
record InstabotCursor(Instant lastUpdateDate) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return null when there is no cursor yet (a first run) */
    static InstabotCursor parse(String json, SourceConfig config) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json);
            return new InstabotCursor(Timestamps.parse(node.path("lastUpdateDate").asText("")));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(config.name() + ": the stored cursor '" + json + "' is not an Instabot cursor"
                    + " ({\"lastUpdateDate\": ISO-8601}); run 'sync " + config.name() + " --full' to read every user again", e);
        }
    }

    String toJson() {
        return JSON.createObjectNode().put("lastUpdateDate", lastUpdateDate.toString()).toString();
    }

    /** The {@code since} query value: UTC, {@code yyyy-MM-ddTHH:mm:ss}, truncated down to the second. */
    static String since(Instant from, Duration lookback) {
        return Timestamps.ISO_SECONDS.format(from.minus(lookback));
    }

    /**
     * The cursor a completed pass commits: the greatest {@code updateDate} it read but no later than the moment
     * it began, and never behind the cursor it started from.
     *
     * @param start     the cursor the pass started from, or null
     * @param greatest  the greatest updateDate the pass read, or null when it read none
     * @param passBegan when the pass sent its first request
     * @return null when there is still nothing to go on (an empty account on a first run)
     */
    static InstabotCursor after(InstabotCursor start, Instant greatest, Instant passBegan) {
        Instant proven = greatest == null ? null : (greatest.isAfter(passBegan) ? passBegan : greatest);
        if (start == null) {
            return proven == null ? null : new InstabotCursor(proven);
        }
        return proven == null || !proven.isAfter(start.lastUpdateDate()) ? start : new InstabotCursor(proven);
    }
}
