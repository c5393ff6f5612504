package io.botsync.source.instabot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.source.HttpReply;
import io.botsync.source.RetryableSourceException;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The page and the error handler: reads Instabot's envelope
 * {@code {"hasMoreRecords", "totalCount", "apiStatusCode": "Success", "data": [...]}} and selects its records.
 *
 * <p>Errors, all fatal for this source (other sources go on); 5xx, 429 and a body that is not JSON are retried first
 * by {@link io.botsync.source.PlatformHttp}:
 * 401/403 or an {@code apiStatusCode} other than {@code Success} mean Instabot refused us, and the message
 * names both keys to check; any other non-2xx, or a body that is not the envelope, names the request.
 * No message holds a key: an error body is shown only after the configured keys are blanked out of it.
 */
record InstabotEnvelope(List<ObjectNode> records, boolean hasMoreRecords, long totalCount) {

    /** Fields of a user object that must never be landed. Instabot documents userPassword as never returned; we make sure. */
    private static final List<String> SECRET_FIELDS = List.of("userPassword", "password");

    static InstabotEnvelope read(HttpReply reply, String request, SourceConfig config) {
        String source = config.name();
        if (reply.status() == 401 || reply.status() == 403) {
            throw new SourceException(source + ": Instabot refused the API keys (HTTP " + reply.status() + " to " + request
                    + ": " + excerpt(reply, config) + "); check " + keys(config));
        }
        if (!reply.ok()) {
            throw new SourceException(source + ": Instabot answered HTTP " + reply.status() + " to " + request + ": "
                    + excerpt(reply, config) + "; check " + config.key("base-url"));
        }
        JsonNode body = reply.json();
        if (body == null) { // cut short or garbled on the way: asking again may mend it
            throw new RetryableSourceException(source + ": Instabot answered " + request + " with something that is not JSON: "
                    + excerpt(reply, config));
        }
        if (body == null || !body.isObject()) {
            throw new SourceException(source + ": Instabot answered " + request + " without its envelope: " + excerpt(reply, config));
        }
        String status = body.path("apiStatusCode").asText("");
        if (!"Success".equals(status)) {
            throw new SourceException(source + ": Instabot answered " + request + " with apiStatusCode '" + status + "' ("
                    + excerpt(reply, config) + "); check " + keys(config));
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isArray()) {
            throw new SourceException(source + ": Instabot answered " + request + " with no data array: " + excerpt(reply, config));
        }
        List<ObjectNode> records = new ArrayList<>(data.size());
        for (JsonNode item : data) {
            if (item.isObject()) {
                ObjectNode user = (ObjectNode) item;
                user.remove(SECRET_FIELDS);
                records.add(user);
            }
        }
        JsonNode more = body.get("hasMoreRecords");
        if (more == null || !more.isBoolean()) {
            throw new SourceException(source + ": Instabot answered " + request + " without hasMoreRecords, so its end cannot be found");
        }
        return new InstabotEnvelope(records, more.asBoolean(), body.path("totalCount").asLong(-1));
    }

    static String keys(SourceConfig config) {
        return config.key("api-key") + " and " + config.key("master-api-key");
    }

    /** The body, cut short, with the configured keys blanked out in case the platform echoes them. */
    static String excerpt(HttpReply reply, SourceConfig config) {
        String text = new String(reply.body(), StandardCharsets.UTF_8).strip();
        for (String key : List.of("api-key", "master-api-key")) {
            String secret = config.get(key).orElse(null);
            if (secret != null) {
                text = text.replace(secret, "***");
            }
        }
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
