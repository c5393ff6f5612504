package io.botsync.sim.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import io.botsync.sim.SimServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Calls the simulator as any HTTP client would, for tests that need to see what StepChat itself answers. */
public final class SimCalls {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private SimCalls() {
    }

    /** The whole envelope of one call, made with the admin token. */
    public static JsonNode envelope(StepChatSimulator sim, String function, Map<String, String> params) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", sim.adminToken());
        form.put("function", function);
        form.putAll(params);
        return post(sim, io.botsync.source.PlatformHttp.formEncode(form));
    }

    public static JsonNode post(StepChatSimulator sim, String formBody) {
        try {
            HttpResponse<String> reply = CLIENT.send(HttpRequest.newBuilder(URI.create(sim.url()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(formBody)).build(), HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() != 200) {
                throw new AssertionError("HTTP " + reply.statusCode() + ": " + reply.body());
            }
            return SimServer.JSON.readTree(reply.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The {@code response} of a call that must succeed. */
    public static JsonNode response(StepChatSimulator sim, String function, Map<String, String> params) {
        JsonNode envelope = envelope(sim, function, params);
        if (!envelope.path("success").asBoolean()) {
            throw new AssertionError(function + " failed: " + envelope);
        }
        return envelope.get("response");
    }

    public static JsonNode getUser(StepChatSimulator sim, long id) {
        return response(sim, "get-user", Map.of("user_id", String.valueOf(id), "extra", "true"));
    }

    /** id -> last_activity of every user of the given types (a JSON array of types), unparseable dates left out. */
    public static Map<Long, Instant> activities(StepChatSimulator sim, String userTypesJson) {
        Map<Long, Instant> activities = new LinkedHashMap<>();
        for (JsonNode user : response(sim, "get-users", Map.of("user_types", userTypesJson))) {
            try {
                activities.put(user.get("id").asLong(),
                        LocalDateTime.parse(user.get("last_activity").asText(), DATE).toInstant(ZoneOffset.UTC));
            } catch (RuntimeException e) {
                // a deliberately broken date
            }
        }
        return activities;
    }
}
