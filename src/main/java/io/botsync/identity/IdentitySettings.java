package io.botsync.identity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The rules that resolve users into contacts ({@code botsync.identity.*}, README "Contacts").
 *
 * @param enabled        whether contacts are kept at all
 * @param defaultRegion  the region (ISO 3166 code) of phone numbers written without a country code; blank: such a
 *                       number matches nothing
 * @param blocked        emails and phones that never match: {@code local@} (any domain), {@code @domain} (any local
 *                       part), a whole email, or a phone number (read with the default region)
 * @param maxGroupSize   an email or phone shared by more live users than this matches nothing
 * @param sourcePriority the order in which members' values win a contact's fields; sources not named come after, by
 *                       name
 */
public record IdentitySettings(boolean enabled, String defaultRegion, List<String> blocked, int maxGroupSize,
                               List<String> sourcePriority) {

    /**
     * @param accounts the configured accounts, in their order: the default source priority
     * @throws IllegalArgumentException naming the key when a value is unusable
     */
    public static IdentitySettings from(Function<String, String> properties, List<String> accounts) {
        String region = value(properties, "default-region").toUpperCase(Locale.ROOT);
        if (!region.isEmpty() && !Keys.knownRegion(region)) {
            throw new IllegalArgumentException("botsync.identity.default-region: " + region
                    + " is not a region libphonenumber knows; give an ISO 3166 code such as RU or US, or leave it empty");
        }
        int maxGroupSize;
        try {
            maxGroupSize = Integer.parseInt(value(properties, "max-group-size"));
        } catch (NumberFormatException e) {
            maxGroupSize = 0;
        }
        if (maxGroupSize < 2) {
            throw new IllegalArgumentException("botsync.identity.max-group-size: give a whole number of 2 or more (default 20)");
        }
        List<String> priority = list(value(properties, "source-priority"));
        return new IdentitySettings(!"false".equalsIgnoreCase(value(properties, "enabled")), region,
                list(value(properties, "blocked").toLowerCase(Locale.ROOT)), maxGroupSize,
                priority.isEmpty() ? accounts : priority);
    }

    /** What the stored contacts depend on: when it changes, every contact is resolved again. */
    String fingerprint() {
        return enabled ? "region=" + defaultRegion + ";blocked=" + blocked + ";max=" + maxGroupSize
                + ";priority=" + sourcePriority : "disabled";
    }

    private static String value(Function<String, String> properties, String key) {
        String value = properties.apply("botsync.identity." + key);
        return value == null ? "" : value.strip();
    }

    private static List<String> list(String value) {
        return value.isEmpty() ? List.of() : Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }
}
