package io.botsync.source.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.source.HttpReply;
import io.botsync.source.Concurrency;
import io.botsync.source.FetchAhead;
import io.botsync.source.PlatformHttp;
import io.botsync.source.RetryableSourceException;
import io.botsync.source.SourceException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The request and the envelope. Every call is a form POST to {@code botsync.<source>.url} with the admin
 * {@code token}, the {@code function} and its parameters; arrays travel as JSON text ({@code ["a","b"]}).
 * The answer is {@code {"success": bool, "response": ...}}; anything else, even with HTTP 200, is not data.
 */
final class StepChatApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final StepChatSettings settings;
    private final PlatformHttp http;

    StepChatApi(StepChatSettings settings, PlatformHttp http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * Calls one function and returns its {@code response}: may be {@code false} ("not found").
     *
     * @throws SourceException when StepChat refuses or answers with something that is not a successful envelope
     */
    JsonNode call(String function, Map<String, String> params) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", settings.token());
        form.put("function", function);
        form.putAll(params);
        return http.postForm(settings.url(), form, Map.of(), new Envelope(settings, function)::open);
    }

    /** A list-valued function ({@code get-users}, {@code get-new-users}): {@code response:false} is no users. */
    /** Pages fetched ahead by {@code fetch} (which calls this API), up to {@code concurrency} at once. */
    <T> FetchAhead<T> fetchAhead(Concurrency concurrency, LongFunction<T> fetch) {
        return http.fetchAhead(concurrency, fetch);
    }

    JsonNode callForList(String function, Map<String, String> params) {
        JsonNode response = call(function, params);
        if (response.isBoolean() && !response.asBoolean()) {
            return JSON.createArrayNode();
        }
        if (!response.isArray()) {
            throw new SourceException(settings.source() + ": StepChat " + function + " answered a "
                    + response.getNodeType().name().toLowerCase() + " where a list of users belongs; check "
                    + settings.config().key("url") + " points at the api.php of a StepChat installation");
        }
        return response;
    }

    /** {@code ["a","b"]}: how StepChat takes an array parameter. */
    static String jsonArray(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one answer; a refusal is thrown, never taken for data. */
    record Envelope(StepChatSettings settings, String function) {

        JsonNode open(HttpReply reply) {
            if (reply.status() == 401 || reply.status() == 403) {
                throw refused("HTTP " + reply.status());
            }
            if (!reply.ok()) {
                throw new SourceException(settings.source() + ": StepChat " + function + " answered HTTP "
                        + reply.status() + " (" + excerpt(reply) + "); check " + settings.config().key("url"));
            }
            JsonNode body = reply.json();
            if (body == null) { // cut short or garbled on the way: asking again may mend it
                throw new RetryableSourceException(settings.source() + ": StepChat " + function
                        + " answered something that is not a StepChat envelope (" + excerpt(reply) + "); check "
                        + settings.config().key("url") + " points at api.php");
            }
            if (!body.isObject() || !body.path("success").isBoolean()) {
                throw new SourceException(settings.source() + ": StepChat " + function
                        + " answered something that is not a StepChat envelope (" + excerpt(reply) + "); check "
                        + settings.config().key("url") + " points at api.php");
            }
            JsonNode response = body.path("response");
            if (!body.get("success").asBoolean()) {
                String why = response.isValueNode() ? response.asText() : response.toString();
                if (why.matches("[a-z-]*token[a-z-]*")) { // invalid-token, token-not-found: a slug, not a MySQL text
                    throw refused(why);
                }
                throw new StepChatFailure(settings.source() + ": StepChat " + function + " failed: "
                        + masked(why, settings.token()), why);
            }
            return response;
        }

        private SourceException refused(String why) {
            return new SourceException(settings.source() + ": StepChat refused the admin token (" + why + "); check "
                    + settings.config().key("token"));
        }

        /** The body cut short, with the admin token blanked out in case the platform echoed it. */
        private String excerpt(HttpReply reply) {
            return masked(reply.excerpt(), settings.token());
        }

        static String masked(String text, String secret) {
            return secret == null || secret.isEmpty() ? text : text.replace(secret, "***");
        }
    }
}
