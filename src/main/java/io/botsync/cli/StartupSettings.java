package io.botsync.cli;

import io.botsync.config.KnownKeys;
import io.botsync.config.PropertiesFile;
import io.botsync.config.SettingsCheck;
import io.botsync.sync.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/** The settings checked once at start-up, before the warehouse is opened: every problem at once, exit 2. */
final class StartupSettings {

    private StartupSettings() {
    }

    /**
     * @param opsFile ops' properties file, or null
     * @throws ConfigException listing every unknown key and bad value, each with where it was set and the fix
     */
    static void check(CamelContext camel, Path opsFile) {
        Function<String, String> properties = key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null);
        KnownKeys known = new KnownKeys(defaults(), platforms(), accounts(properties), routeTexts(camel, properties));
        SettingsCheck check = new SettingsCheck(known, properties);
        if (opsFile != null) {
            check.file(PropertiesFile.read(opsFile), opsFile.toString());
        }
        List<String> problems = check.systemProperties(System.getProperties().stringPropertyNames())
                .environment(System.getenv().keySet())
                .logFormat(System.getProperty("BOTSYNC_LOG_FORMAT", System.getenv("BOTSYNC_LOG_FORMAT"))).problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n  ", problems));
        }
    }

    private static PropertiesFile defaults() {
        try (InputStream in = StartupSettings.class.getResourceAsStream("/application.properties")) {
            return PropertiesFile.parse("application.properties", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> platforms() {
        return ServiceLoader.load(io.botsync.source.Platform.class).stream().map(p -> p.get().name()).toList();
    }

    /** botsync.accounts, each with the platform its botsync.<account>.platform names (null when it names none). */
    private static Map<String, String> accounts(Function<String, String> properties) {
        Map<String, String> accounts = new LinkedHashMap<>();
        String listed = properties.apply("botsync.accounts");
        if (listed != null) {
            Arrays.stream(listed.split(",")).map(String::strip).filter(a -> !a.isEmpty()).forEach(account -> {
                String platform = properties.apply("botsync." + account + ".platform");
                accounts.put(account, platform == null || platform.isBlank() ? null : platform.strip());
            });
        }
        return accounts;
    }

    private static List<String> routeTexts(CamelContext camel, Function<String, String> properties) {
        List<String> texts = new ArrayList<>();
        try {
            for (Resource resource : PluginHelper.getPackageScanResourceResolver(camel)
                    .findResources(RouteFiles.includePattern(properties))) {
                try (InputStream in = resource.getInputStream()) {
                    texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (Exception e) {
            // a route file that cannot be read is reported as the routes are loaded, with its name
        }
        return texts;
    }
}
