package io.botsync.sync;

import io.botsync.config.SettingKind;
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
        String value = properties.apply(source.config().key("mass-delete-share"));
        if (value == null || value.isBlank()) {
            value = properties.apply("botsync.mass-delete-share");
        }
        // both keys were checked at start-up (SettingKind.SHARE)
        return value == null || value.isBlank() ? DEFAULT_SHARE : SettingKind.share(value.strip());
    }
}
