package io.botsync.sync;

import java.util.function.Function;

/**
 * How much of a source a completed full scan may flag deleted: {@code botsync.<source>.mass-delete-share}, else
 * {@code botsync.mass-delete-share}, else 20%. Written {@code 20%} or {@code 0.2}.
 */
final class MassDeleteGate {

    static final double DEFAULT_SHARE = 0.2;

    private final Function<String, String> properties;

    MassDeleteGate(Function<String, String> properties) {
        this.properties = properties;
    }

    double maxShare(Source source) {
        String key = source.config().key("mass-delete-share");
        String value = properties.apply(key);
        if (value == null || value.isBlank()) {
            key = "botsync.mass-delete-share";
            value = properties.apply(key);
        }
        if (value == null || value.isBlank()) {
            return DEFAULT_SHARE;
        }
        String text = value.trim();
        try {
            double share = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100
                    : Double.parseDouble(text);
            if (share >= 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + " is '" + value + "': set a share of the source's users between 0% and 100%,"
                + " e.g. 20%");
    }
}
