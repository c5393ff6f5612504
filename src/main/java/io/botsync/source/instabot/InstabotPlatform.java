package io.botsync.source.instabot;

import io.botsync.source.Platform;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceReader;
import io.botsync.source.UserWriter;
import java.util.List;

/** Instabot ({@code https://api.instabot.io}, the Users Object API). Found with {@link java.util.ServiceLoader}. */
public final class InstabotPlatform implements Platform {

    @Override
    public String name() {
        return "instabot";
    }

    @Override
    public List<String> requiredKeys() {
        return List.of("base-url", "api-key", "master-api-key");
    }

    @Override
    public SourceReader reader(SourceConfig config, PlatformHttp http) {
        return new InstabotReader(config, http);
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public UserWriter writer(SourceConfig config, PlatformHttp http) {
        return new InstabotWriter(config, http);
    }
}
