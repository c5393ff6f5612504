package io.botsync.cli;

import io.botsync.mapping.MappingException;
import io.botsync.mapping.MappingLanguage;
import io.botsync.mapping.Mappings;
import io.botsync.push.PushService;
import io.botsync.push.PushTargets;
import io.botsync.sync.BatchRuns;
import io.botsync.service.RunService;
import io.botsync.sync.ConfigException;
import io.botsync.sync.Sources;
import io.botsync.sync.SyncService;
import io.botsync.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.util.TimeUtils;

/**
 * botsync assembled on Camel Main: properties (application.properties, then botsync.properties in the working
 * directory, system properties and environment variables), the warehouse, the sources and the sync service,
 * bound in the registry as {@code botsync} for the routes to call, and the push service, bound as {@code push}.
 */
public final class Application implements AutoCloseable {

    /** How long a stop waits for the passes in flight to commit their page, before Camel stops anyway. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Main main;
    private final boolean service;
    private Warehouse warehouse;
    private SyncService sync;
    private PushService push;
    private BatchRuns batch;

    private Application(Main main, boolean service) {
        this.main = main;
        this.service = service;
    }

    /**
     * Starts botsync.
     *
     * @param overrides properties that win over every other source (the demo points sources at its simulators)
     * @throws ConfigException when the configuration or the warehouse is unusable
     */
    public static Application start(Map<String, String> overrides) {
        return start(overrides, false);
    }

    /**
     * @param service true for {@code run}: load the route files of {@code botsync.routes.dir} (the schedules), and
     *                serve health and metrics on the management port
     */
    public static Application start(Map<String, String> overrides, boolean service) {
        Main main = new Main();
        Application app = new Application(main, service);
        main.configure().setRoutesCollectorEnabled(service);
        main.setPropertyPlaceholderLocations("file:botsync.properties;optional=true,classpath:application.properties");
        Properties override = new Properties();
        if (service) {
            override.putAll(RunService.SERVICE_PROPERTIES);
        }
        override.putAll(overrides);
        main.setOverrideProperties(override);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configuring) {
                if (service) {
                    configuring.configure().setRoutesIncludePattern(RunService.routesIncludePattern(
                            key -> configuring.getCamelContext().getPropertiesComponent().resolveProperty(key).orElse(null)));
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport configured) {
                app.wire(configured.getCamelContext());
            }
        });
        try {
            main.start();
        } catch (RuntimeException e) {
            app.close();
            throw unwrap(e);
        }
        return app;
    }

    private void wire(CamelContext camel) {
        Function<String, String> properties = key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null);
        try {
            warehouse = Warehouse.open(properties.apply("botsync.warehouse.url"), properties.apply("botsync.warehouse.user"),
                    properties.apply("botsync.warehouse.password"));
            Sources sources = new Sources(properties);
            List<String> scheduled = service ? RunService.declareAccounts(camel, sources, properties) : List.of();
            Mappings mappings = new Mappings(Path.of(properties.apply("botsync.mappings.dir")),
                    MappingLanguage.named(properties.apply("botsync.mappings.language")));
            mappings.check(sources.configured().stream().map(s -> s.platform().name()).distinct().toList());
            int queuePages = Integer.parseInt(properties.apply("botsync.pipeline.queue-pages").trim());
            Duration progress = Duration.ofMillis(TimeUtils.toMilliSeconds(properties.apply("botsync.progress.interval")));
            sync = new SyncService(camel, warehouse, sources, mappings, queuePages, progress);
            camel.getRegistry().bind("botsync", sync);
            push = new PushService(camel, warehouse, new PushTargets(properties, sources));
            camel.getRegistry().bind("push", push);
            batch = new BatchRuns(sync, warehouse);
            camel.getRegistry().bind("botsyncBatch", batch);
            if (service) {
                RunService.bind(camel, sync, scheduled, properties);
                for (var routes : batch.serviceRoutes(Path.of(properties.apply("botsync.import.inbox")),
                        Duration.ofDays(retentionDays(properties)), properties.apply("botsync.raw.prune-cron"))) {
                    camel.addRoutes(routes);
                }
            }
        } catch (ConfigException e) {
            throw e;
        } catch (MappingException e) {
            throw new ConfigException(e.getMessage(), e);
        } catch (io.botsync.warehouse.WarehouseException e) {
            throw new ConfigException(e.getMessage(), e);
        } catch (Exception e) {
            throw new ConfigException("cannot start: " + e.getMessage(), e);
        }
    }

    public SyncService sync() {
        return sync;
    }

    /** The push to targets, bound as {@code push}: tests call a round directly instead of waiting for a schedule. */
    public PushService push() {
        return push;
    }

    /** Replay and import. */
    public BatchRuns batch() {
        return batch;
    }

    private static long retentionDays(Function<String, String> properties) {
        String value = properties.apply("botsync.raw.retention-days");
        try {
            long days = Long.parseLong(value.trim());
            if (days >= 1) {
                return days;
            }
        } catch (RuntimeException e) {
            // reported below, with the key and the fix
        }
        throw new ConfigException("botsync.raw.retention-days is '" + value + "': set it to a whole number of days, 1 or more"
                + " (BOTSYNC_RAW_RETENTION_DAYS)");
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    /** The value of a property as Camel resolves it (overrides, environment, files), or null. */
    public String property(String key) {
        return camel().getPropertiesComponent().resolveProperty(key).orElse(null);
    }

    @Override
    public void close() {
        try {
            if (sync != null) {
                sync.stop(SHUTDOWN_WAIT);
            }
            main.stop();
        } finally {
            if (warehouse != null) {
                warehouse.close();
            }
        }
    }

    /** Camel wraps what a listener throws; the user should see our message, not the wrapper's. */
    private static RuntimeException unwrap(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        return e;
    }
}
