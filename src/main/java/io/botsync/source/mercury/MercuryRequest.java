package io.botsync.source.mercury;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request part: {@code GET <base-url>/projects/<project-id>/users/properties?startId=...&limit=...}, with the
 * optional {@code stageIds}, {@code filters} and {@code sortBy} passed through from configuration as they are.
 *
 * <p>Mercury documents no authentication, so the header is configurable: {@code auth-header} (default
 * {@code Authorization}) carrying {@code <auth-scheme> <api-key>} (default scheme {@code Bearer}; the scheme
 * {@code none} sends the bare key). The key travels only in that header, never in the URL or the description.
 */
final class MercuryRequest {

    static final int DEFAULT_LIMIT = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final Map<String, String> headers;
    private final Map<String, String> passThrough = new LinkedHashMap<>();
    private final int limit;

    MercuryRequest(SourceConfig config) {
        String base = config.require("base-url").replaceAll("/+$", "");
        String project = URLEncoder.encode(config.require("project-id"), StandardCharsets.UTF_8);
        this.url = base + "/projects/" + project + "/users/properties";
        this.headers = Map.of(config.get("auth-header", "Authorization"), authValue(config), "Accept", "application/json");
        this.limit = config.pageSize(DEFAULT_LIMIT);
        if (limit < 1) {
            throw new IllegalArgumentException(config.key("page-size") + " is " + limit + "; Mercury's limit must be 1 or more");
        }
        config.get("stage-ids").ifPresent(ids -> passThrough.put("stageIds", ids));
        config.get("filters").ifPresent(filters -> passThrough.put("filters", checkedFilters(config, filters)));
        config.get("sort-by").ifPresent(sortBy -> passThrough.put("sortBy", sortBy));
    }

    String url() {
        return url;
    }

    Map<String, String> headers() {
        return headers;
    }

    int limit() {
        return limit;
    }

    /** Whether pages are sorted by properties ({@code sort-by}) rather than in Mercury's own order. */
    boolean sorts() {
        return passThrough.containsKey("sortBy");
    }

    /** The query of one page; {@code startId} is left out on the first page of a fresh scan. */
    Map<String, String> query(String startId) {
        Map<String, String> query = new LinkedHashMap<>();
        if (startId != null) {
            query.put("startId", startId);
        }
        query.put("limit", Integer.toString(limit));
        query.putAll(passThrough);
        return query;
    }

    /** What a page asked for, for logs and landing: the query holds no secret (the key is in a header). */
    static String describe(Map<String, String> query) {
        return PlatformHttp.formEncode(query);
    }

    private static String authValue(SourceConfig config) {
        String key = config.require("api-key");
        String scheme = config.get("auth-scheme", "Bearer");
        return "none".equalsIgnoreCase(scheme) ? key : scheme + " " + key;
    }

    /** A filters value that is not a JSON array would only fail on Mercury's side, later and less clearly. */
    private static String checkedFilters(SourceConfig config, String filters) {
        try {
            if (JSON.readTree(filters).isArray()) {
                return filters;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new IllegalArgumentException(config.key("filters") + " must be a JSON array of filter definitions, "
                + "e.g. [{\"mode\":\"include\",\"field\":\"user.company\",\"operator\":\"=\",\"value\":\"ACME\"}]");
    }
}
