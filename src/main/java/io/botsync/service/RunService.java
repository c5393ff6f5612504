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
        String configured = properties.apply("botsync.routes.dir");
        Path dir = Path.of(configured == null || configured.isBlank() ? "routes" : configured.trim());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.anyMatch(f -> f.getFileName().toString().endsWith(".yaml"))) {
                    return "file:" + dir.toAbsolutePath().normalize() + "/*.yaml";
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return "classpath:routes/*.yaml";
    }

    /**
     * Adds the accounts the route files schedule to {@code sources}; to be called before the sync service is built.
     *
     * @throws ConfigException naming the route file and what is wrong
     */
    public static List<String> declareAccounts(CamelContext camel, Sources sources) {
        return ScheduledAccounts.declare(camel, sources);
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
