package io.botsync.push;

import io.botsync.source.Platform;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.UserWriter;
import io.botsync.sync.ConfigException;
import io.botsync.sync.Source;
import io.botsync.sync.Sources;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The push targets listed in {@code botsync.push.targets}, each configured under {@code botsync.push.<name>.}:
 * {@code type} is {@code webhook} (the default) or a platform botsync can write to ({@code instabot},
 * {@code stepchat}), which takes the same keys as a source of that platform. A target is configured when its
 * required keys are set; secrets (token, API keys) are read like a source's and never printed.
 */
public final class PushTargets {

    static final String WEBHOOK = "webhook";
    /** A platform's users are written one API call at a time. */
    private static final int PLATFORM_BATCH = 1;

    private final Map<String, Platform> platforms = new LinkedHashMap<>();
    /** Accounts that routes declare come later than this object: the platform of a source is looked up when asked. */
    private final Sources sources;
    private final Map<String, SourceConfig> targets = new LinkedHashMap<>();

    public PushTargets(Function<String, String> properties, Sources sources) {
        this.sources = sources;
        for (Source source : sources.all()) {
            platforms.putIfAbsent(source.platform().name(), source.platform());
        }
        String list = properties.apply("botsync.push.targets");
        for (String name : Arrays.stream(list == null ? new String[0] : list.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            SourceConfig config = new SourceConfig("push." + name, "", properties);
            String type = config.get("type", WEBHOOK);
            if (!type.equals(WEBHOOK) && (!platforms.containsKey(type) || !platforms.get(type).writable())) {
                throw new ConfigException(config.key("type") + " is '" + type + "': set it to " + WEBHOOK + " or to "
                        + String.join(" or ", writablePlatforms()) + " for the target " + name + " listed in botsync.push.targets");
            }
            targets.put(name, new SourceConfig("push." + name, type, properties));
        }
    }

    /** Every target listed, configured or not. */
    public List<String> names() {
        return List.copyOf(targets.keySet());
    }

    public List<String> configured() {
        return targets.keySet().stream().filter(name -> missingKeys(name).isEmpty()).toList();
    }

    /** The full keys the target lacks to be usable; empty when it is configured. */
    List<String> missingKeys(String name) {
        SourceConfig config = known(name);
        List<String> required = config.platform().equals(WEBHOOK) ? List.of("url") : platforms.get(config.platform()).requiredKeys();
        return required.stream().filter(k -> config.get(k).isEmpty()).map(config::key).toList();
    }

    /** @throws ConfigException naming the unknown target or the keys it lacks */
    public void requireConfigured(String name) {
        List<String> missing = missingKeys(name);
        if (!missing.isEmpty()) {
            throw new ConfigException("push target " + name + " is not configured: set " + String.join(", ", missing)
                    + " (or their environment variables, e.g. " + Sources.envName(missing.get(0)) + ")");
        }
    }

    /**
     * The named target, ready to push to.
     *
     * @throws ConfigException naming the unknown target, the keys it lacks or the value that is wrong
     */
    PushTarget require(String name, PushStore store, PlatformHttp http) {
        requireConfigured(name);
        SourceConfig config = known(name);
        try {
            if (config.platform().equals(WEBHOOK)) {
                return new WebhookTarget(config, PushSettings.from(name, config, Integer.MAX_VALUE), http);
            }
            UserWriter writer = platforms.get(config.platform()).writer(config, http);
            return new PlatformTarget(PushSettings.from(name, config, PLATFORM_BATCH), config.platform(), writer, store,
                    source -> sources.platformOf(source).orElse(null));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException("push target " + name + ": " + e.getMessage(), e);
        }
    }

    private SourceConfig known(String name) {
        SourceConfig config = targets.get(name);
        if (config == null) {
            throw new ConfigException("unknown push target '" + name + "': known targets are " + targets.keySet()
                    + " (list them in botsync.push.targets)");
        }
        return config;
    }

    private List<String> writablePlatforms() {
        return platforms.values().stream().filter(Platform::writable).map(Platform::name).toList();
    }
}
