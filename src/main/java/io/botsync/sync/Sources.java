package io.botsync.sync;

import io.botsync.config.SettingsCheck;
import io.botsync.source.Platform;
import io.botsync.source.SourceConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The sources botsync knows: one per platform, named like it ({@code instabot}), plus any extra accounts listed
 * in {@code botsync.accounts} (e.g. {@code instabot-eu}), each naming its platform in
 * {@code botsync.<account>.platform}. A source is configured when its platform's required keys are set.
 */
public final class Sources {

    private final Map<String, Platform> platforms = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Function<String, String> properties;

    public Sources(Function<String, String> properties) {
        this.properties = properties;
        ServiceLoader.load(Platform.class).forEach(p -> platforms.put(p.name(), p));
        for (String name : platforms.keySet()) {
            sources.put(name, new Source(new SourceConfig(name, name, properties), platforms.get(name)));
        }
        String accounts = properties.apply("botsync.accounts");
        if (accounts != null) {
            for (String account : Arrays.stream(accounts.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
                String key = "botsync." + account + ".platform";
                String platformName = properties.apply(key);
                Platform platform = platformName == null ? null : platforms.get(platformName.trim());
                if (platform == null) {
                    throw new ConfigException(key + " is '" + platformName + "': set it to one of " + platforms.keySet()
                            + " for the account " + account + " listed in botsync.accounts");
                }
                sources.put(account, new Source(new SourceConfig(account, platform.name(), properties), platform));
            }
        }
    }

    /**
     * Adds an account declared outside the properties (a schedule in routes/), with its keys under
     * {@code botsync.<account>.}. Declaring a known source again with the same platform changes nothing.
     *
     * @throws ConfigException naming the platforms there are, or the platform the account already has
     */
    public Source declare(String account, String platformName) {
        Platform platform = platformName == null ? null : platforms.get(platformName.trim());
        if (platform == null) {
            throw new ConfigException("unknown platform '" + platformName + "' for the account " + account
                    + ": use one of " + platforms.keySet());
        }
        Source known = sources.get(account);
        if (known != null && !known.platform().name().equals(platform.name())) {
            throw new ConfigException("the account " + account + " is a " + known.platform().name()
                    + " source, not " + platform.name() + " (account names are unique)");
        }
        return sources.computeIfAbsent(account, a -> new Source(new SourceConfig(a, platform.name(), properties), platform));
    }

    /**
     * The platform of an account: a known source's, else its {@code botsync.<account>.platform}, else the account's
     * own name when it names a platform.
     */
    public java.util.Optional<String> platformOf(String account) {
        Source known = sources.get(account);
        if (known != null) {
            return java.util.Optional.of(known.platform().name());
        }
        String property = properties.apply("botsync." + account + ".platform");
        if (property != null && !property.isBlank()) {
            return java.util.Optional.of(property.trim());
        }
        return platforms.containsKey(account) ? java.util.Optional.of(account) : java.util.Optional.empty();
    }

    /** A platform botsync knows, by name. */
    public java.util.Optional<Platform> platform(String name) {
        return java.util.Optional.ofNullable(name == null ? null : platforms.get(name.trim()));
    }

    /** The platforms botsync can push users to. */
    public List<String> writablePlatforms() {
        return platforms.values().stream().filter(Platform::writable).map(Platform::name).toList();
    }

    /** Every known source, configured or not, in a stable order. */
    public List<Source> all() {
        return List.copyOf(sources.values());
    }

    public List<Source> configured() {
        return sources.values().stream().filter(Source::configured).toList();
    }

    /**
     * The named source, ready to sync.
     *
     * @throws ConfigException naming the unknown source or the keys it lacks
     */
    public Source require(String name) {
        Source source = known(name);
        List<String> missing = source.missingKeys();
        if (!missing.isEmpty()) {
            throw new ConfigException("source " + name + " is not configured: set " + String.join(", ", missing)
                    + " (or their environment variables, e.g. " + SettingsCheck.variable(missing.get(0)) + ")");
        }
        return source;
    }

    /**
     * The named source, configured or not: replay and import never call the platform.
     *
     * @throws ConfigException naming the unknown source and the known ones
     */
    public Source known(String name) {
        Source source = sources.get(name);
        if (source == null) {
            throw new ConfigException("unknown source '" + name + "': known sources are " + sources.keySet()
                    + " (add accounts with botsync.accounts)");
        }
        return source;
    }
}
