package io.botsync.push;

import io.botsync.source.HttpReply;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceException;
import io.botsync.source.UserRejectedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP webhook or a CRM's REST endpoint: {@code POST url} with the canonical user as JSON (an array of them when
 * {@code batch-size} is above 1), the configured headers, the token in the auth header, and
 * {@code Idempotency-Key}: the change id (a batch: {@code first-last}; each item carries its own {@code change_id}),
 * so that a receiver drops what an interrupted push sends twice.
 *
 * <p>Answers: 2xx delivered; 408, 425, 429, 5xx or no answer: the receiver is away, try later; 401/403: our
 * token is wrong, try later (parking every change would not help); any other 4xx: it refuses this content.
 */
final class WebhookTarget implements PushTarget {

    private final SourceConfig config;
    private final PushSettings settings;
    private final PlatformHttp http;
    private final String url;
    private final Map<String, String> headers;
    private final String token;

    WebhookTarget(SourceConfig config, PushSettings settings, PlatformHttp http) {
        this.config = config;
        this.settings = settings;
        this.http = http;
        this.url = config.require("url");
        this.token = config.get("token").orElse(null);
        this.headers = headers(config, token);
    }

    @Override
    public PushSettings settings() {
        return settings;
    }

    @Override
    public boolean takes(PushChange change) {
        return settings.takesSource(change.user().source());
    }

    @Override
    public void deliver(List<PushChange> changes) {
        Map<String, String> request = new LinkedHashMap<>(headers);
        long first = changes.get(0).id();
        long last = changes.get(changes.size() - 1).id();
        request.put("Idempotency-Key", first == last ? Long.toString(first) : first + "-" + last);
        HttpReply reply = http.send("POST", url, request, UserJson.body(changes, settings.batchSize() > 1));
        int status = reply.status();
        if (reply.ok()) {
            return;
        }
        String answer = "HTTP " + status + " (" + excerpt(reply) + ")";
        if (status == 401 || status == 403) {
            throw new SourceException(config.name() + ": the receiver refused our credentials: " + answer + "; check "
                    + config.key("token") + ", " + config.key("auth-header") + " and " + config.key("auth-scheme"));
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500 || status < 400) {
            throw new SourceException(config.name() + ": the receiver answered " + answer);
        }
        throw new UserRejectedException(config.name() + ": the receiver refused the change: " + answer);
    }

    /** JSON, the configured {@code headers} ({@code Name=value,Name=value}), and the token in the auth header. */
    private static Map<String, String> headers(SourceConfig config, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        for (String pair : config.get("headers", "").split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(config.key("headers") + " takes Name=value pairs separated by commas;"
                        + " one of them has no name or no '='");
            }
            headers.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        if (token != null) {
            String scheme = config.get("auth-scheme", "Bearer");
            headers.put(config.get("auth-header", "Authorization"), scheme.equalsIgnoreCase("none") ? token : scheme + " " + token);
        }
        return headers;
    }

    /** The receiver's answer, cut short, with the token blanked out in case it echoes it. */
    private String excerpt(HttpReply reply) {
        String text = reply.excerpt();
        return token == null ? text : text.replace(token, "***");
    }
}
