package io.botsync.service;

import io.botsync.sync.ConfigException;
import io.botsync.sync.Sources;
import io.botsync.sync.SyncService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * What {@code run} adds to botsync: the route files, the scheduled accounts, and the {@code schedule} bean with its
 * metrics and health. Called by {@code Application} at three points of Camel Main's start-up.
 */
public final class RunService {

    /** Camel settings only {@code run} has: the management server of /observe/health and /observe/metrics. */
    public static final Map<String, String> SERVICE_PROPERTIES = Map.of("camel.management.enabled", "true",
            "camel.metrics.enabled", "true");

    private RunService() {
    }

    /**
     * Where the route files are: every {@code *.yaml} of {@code botsync.routes.dir} when it holds any, else the copies
     * inside the jar (so {@code run} also works from an empty directory).
     */
    public static String routesIncludePattern(Function<String, String> properties) {
        List<Path> files = routeFiles(properties);
        return files.isEmpty() ? "classpath:routes/*.yaml" : "file:" + files.get(0).getParent() + "/*.yaml";
    }

    /** The ops' route files; empty when the ones inside the jar are used. */
    static List<Path> routeFiles(Function<String, String> properties) {
        String configured = properties.apply("botsync.routes.dir");
        Path dir = Path.of(configured == null || configured.isBlank() ? "routes" : configured.trim()).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * What stopped {@code run} from starting, as a configuration error (exit 2): a route file that is not YAML or
     * names a step Camel does not know is named with its line and column, as the YAML parser reports them.
     */
    public static ConfigException startupError(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof YamlEngineException) {
                return new ConfigException("a route file is wrong: " + t.getMessage().strip(), e);
            }
        }
        StringBuilder message = new StringBuilder("cannot start");
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && message.indexOf(t.getMessage()) < 0) {
                message.append(": ").append(t.getMessage());
            }
        }
        return new ConfigException(message.toString(), e);
    }

    /**
     * Adds the accounts the route files schedule to {@code sources}; to be called before the sync service is built.
     *
     * @throws ConfigException naming the route file and what is wrong
     */
    public static List<String> declareAccounts(CamelContext camel, Sources sources, Function<String, String> properties) {
        return ScheduledAccounts.declare(camel, sources, routeFiles(properties));
    }

    /** Binds the {@code schedule} bean that the route files call, with metrics and health for the accounts named. */
    public static void bind(CamelContext camel, SyncService sync, List<String> accounts, Function<String, String> properties) {
        SyncMetrics metrics = new SyncMetrics(meterRegistry(camel));
        accounts.forEach(metrics::register);
        SourceHealth health = new SourceHealth(failedRuns(properties));
        HealthCheckRegistry.get(camel).register(health);
        camel.getRegistry().bind("schedule", new ScheduledSync(sync, metrics, health));
    }

    /** The registry that camel-micrometer-prometheus scrapes at /observe/metrics: Camel's own when it made one. */
    private static MeterRegistry meterRegistry(CamelContext camel) {
        MeterRegistry found = camel.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (found != null) {
            return found;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        return registry;
    }

    private static int failedRuns(Function<String, String> properties) {
        String key = "botsync.health.failed-runs";
        String value = properties.apply(key);
        try {
            int runs = value == null || value.isBlank() ? 3 : Integer.parseInt(value.trim());
            if (runs < 1) {
                throw new NumberFormatException();
            }
            return runs;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " is '" + value + "': set it to a whole number of runs, 1 or more");
        }
    }
}
