package io.botsync.source.mercury;

import io.botsync.source.Platform;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceReader;
import java.util.List;

/** Mercury.ai's bot users API (seeds/mercury-bot-users-api.txt). */
public final class MercuryPlatform implements Platform {

    @Override
    public String name() {
        return "mercury";
    }

    @Override
    public List<String> requiredKeys() {
        return List.of("base-url", "project-id", "api-key");
    }

    @Override
    public SourceReader reader(SourceConfig config, PlatformHttp http) {
        return new MercuryReader(config, http);
    }
}
