package io.botsync.source.stepchat;

import io.botsync.mapping.Timestamps;
import io.botsync.source.Concurrency;
import io.botsync.source.MaxPages;
import io.botsync.source.SourceConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Everything a StepChat source is configured with, read and checked once. A bad value stops the source with
 * a message naming its key.
 *
 * @param userTypes the {@code user_types} asked for: agents and admins are staff, not contacts, so they are left
 *                  out unless configured
 * @param startDate where the first incremental run starts ({@code YYYY-MM-DD[ HH:MM:SS]}, UTC), or null: then the
 *                  first run is a full {@code get-users} scan (paged, so safe on a large account)
 * @param pageSize  {@code get-users} pages are fixed at 100 by the platform; a shorter page is the last one
 * @param maxPages  the most pages one pass may ask for
 * @param concurrency the most {@code get-users} pages a full scan has in flight at once
 */
record StepChatSettings(SourceConfig config, String url, String token, List<String> userTypes, String startDate,
                        Duration lookback, int pageSize, MaxPages maxPages, Concurrency concurrency) {

    static final Set<String> KNOWN_TYPES = Set.of("visitor", "lead", "user", "agent", "admin");
    static final String DEFAULT_TYPES = "visitor,lead,user";

    static StepChatSettings from(SourceConfig config) {
        List<String> types = Arrays.stream(config.get("user-types", DEFAULT_TYPES).split(","))
                .map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
        if (types.isEmpty() || !KNOWN_TYPES.containsAll(types)) {
            throw new IllegalArgumentException(config.key("user-types") + " is '" + String.join(",", types)
                    + "'; it takes a comma-separated list of " + KNOWN_TYPES);
        }
        String startDate = config.get("start-date").orElse(null);
        if (startDate != null) {
            try {
                startDate = Timestamps.SQL_SECONDS.format(Timestamps.parse(startDate));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(config.key("start-date") + " is '" + startDate
                        + "'; write it as YYYY-MM-DD HH:MM:SS (UTC)");
            }
        }
        int pageSize = config.pageSize(100);
        if (pageSize < 1) {
            throw new IllegalArgumentException(config.key("page-size") + " must be at least 1");
        }
        return new StepChatSettings(config, config.require("url"), config.require("token"), types, startDate,
                config.lookback(Duration.ofMinutes(10)), pageSize, MaxPages.of(config),
                Concurrency.of(config));
    }

    String source() {
        return config.name();
    }

    Instant startInstant() {
        return startDate == null ? null : Timestamps.parse(startDate);
    }

    /** Never print the settings with the token in them. */
    @Override
    public String toString() {
        return "StepChatSettings[" + config.name() + " " + url + " types=" + userTypes + "]";
    }
}
