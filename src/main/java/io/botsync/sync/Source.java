package io.botsync.sync;

import io.botsync.source.Platform;
import io.botsync.source.SourceConfig;
import java.util.List;

/** A source as configured: an account of a platform, with its settings. */
public record Source(SourceConfig config, Platform platform) {

    public String name() {
        return config.name();
    }

    /** The full keys this source lacks to be usable; empty when it is configured. */
    public List<String> missingKeys() {
        return platform.requiredKeys().stream().filter(k -> config.get(k).isEmpty()).map(config::key).toList();
    }

    public boolean configured() {
        return missingKeys().isEmpty();
    }
}
