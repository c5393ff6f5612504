package io.botsync.source.instabot;

import io.botsync.source.Concurrency;
import io.botsync.source.FetchAhead;
import io.botsync.source.HttpReply;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The requester: which URL, which headers, which query. Both of Instabot's keys go in headers on every
 * request ({@code X-Instabot-Api-Key} and {@code Authorization: X-Instabot-Master-Api-Key ...}); they never go
 * into a URL or into {@link #describe}, so neither Camel's logs nor landed pages can show them.
 */
final class InstabotRequests {

    /** Every user, anonymous or registered. */
    static final String LIST = "/v1/users";
    /** Users changed at or after {@code since} (UTC, whole seconds). */
    static final String LAST_UPDATED = "/v1/users/lastUpdated";

    private final PlatformHttp http;
    private final String baseUrl;
    private final Map<String, String> headers;

    InstabotRequests(SourceConfig config, PlatformHttp http) {
        this.http = http;
        String url = config.require("base-url");
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.headers = Map.of(
                "X-Instabot-Api-Key", config.require("api-key"),
                "Authorization", "X-Instabot-Master-Api-Key " + config.require("master-api-key"),
                "Accept", "application/json");
    }

    /**
     * One page of an endpoint. {@code type=all} is sent to both endpoints: the reference says that without it
     * the list leaves anonymous users out, and it does not say whether {@code lastUpdated} does the same.
     *
     * @param since null for {@link #LIST}; the {@code yyyy-MM-ddTHH:mm:ss} UTC text for {@link #LAST_UPDATED}
     * @param read  reads the answer inside the retry (a body that is not JSON has the page fetched again)
     */
    <T> T page(String path, String since, int limit, int skip, Function<HttpReply, T> read) {
        return http.get(baseUrl + path, query(since, limit, skip), headers, read);
    }

    /**
     * The pages of one read by {@code skip}, fetched up to {@code concurrency} at once, each read by {@code read} from its
     * answer and its request as {@link #describe} gives it (without secrets).
     */
    <T> FetchAhead<T> pages(String path, String since, int limit, Concurrency concurrency,
                            BiFunction<HttpReply, String, T> read) {
        return http.fetchAhead(concurrency, skip -> {
            String request = describe(path, since, limit, Math.toIntExact(skip));
            return page(path, since, limit, Math.toIntExact(skip), reply -> read.apply(reply, request));
        });
    }

    /**
     * {@code POST /v1/users} with a user object (JSON): creates a user (push). Sent once: a create whose answer was
     * lost is not sent again here (see {@link InstabotWriter#create}).
     */
    HttpReply create(String json) {
        return http.sendOnce("POST", baseUrl + LIST, jsonHeaders(), json);
    }

    /** {@code PUT /v1/users/{objectId}} with the fields to change (JSON; an explicit null clears one). */
    HttpReply update(String objectId, String json) {
        return http.send("PUT", baseUrl + LIST + "/" + URLEncoder.encode(objectId, StandardCharsets.UTF_8), jsonHeaders(), json);
    }

    private Map<String, String> jsonHeaders() {
        Map<String, String> json = new LinkedHashMap<>(headers);
        json.put("Content-Type", "application/json");
        return json;
    }

    /** What {@link #page} asks, for logs and landing: the path and query, never a header. */
    static String describe(String path, String since, int limit, int skip) {
        return "GET " + path + "?" + PlatformHttp.formEncode(query(since, limit, skip));
    }

    private static Map<String, String> query(String since, int limit, int skip) {
        Map<String, String> query = new LinkedHashMap<>();
        if (since != null) {
            query.put("since", since);
        }
        query.put("type", "all");
        query.put("limit", Integer.toString(limit));
        query.put("skip", Integer.toString(skip));
        return query;
    }
}
