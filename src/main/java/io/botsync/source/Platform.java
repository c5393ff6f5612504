package io.botsync.source;

import java.util.List;

/**
 * A chatbot platform botsync can read. Implementations live in their own package (one per platform) and
 * are found with {@link java.util.ServiceLoader}; everything peculiar to a platform stays behind this interface.
 */
public interface Platform {

    /** The platform's name, also the default source name and the name of its mapping file: {@code instabot}. */
    String name();

    /**
     * The keys (under {@code botsync.<source>.}) without which a source of this platform is not configured,
     * e.g. {@code base-url}, {@code api-key}.
     */
    List<String> requiredKeys();

    /** Builds the reader of one configured source. */
    SourceReader reader(SourceConfig config, PlatformHttp http);

    /** True when a CSV export of this platform can be imported (its records are read from the CSV's columns). */
    default boolean importsCsv() {
        return false;
    }

    /** True when botsync can push users to this platform: then {@link #writer} builds its write side. */
    default boolean writable() {
        return false;
    }

    /** Builds the write side a push target uses; only for a {@link #writable} platform. */
    default UserWriter writer(SourceConfig config, PlatformHttp http) {
        throw new UnsupportedOperationException(name() + " has no write side");
    }
}
