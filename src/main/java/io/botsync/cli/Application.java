package io.botsync.cli;

import io.botsync.cluster.Cluster;
import io.botsync.config.SettingsCheck;
import io.botsync.identity.ContactQueries;
import io.botsync.identity.Contacts;
import io.botsync.identity.IdentitySettings;
import io.botsync.mapping.MappingException;
import io.botsync.mapping.MappingLanguage;
import io.botsync.mapping.Mappings;
import io.botsync.push.OutboxRetentionRoutes;
import io.botsync.push.PushService;
import io.botsync.push.RetryAfterDelay;
import io.botsync.service.RunService;
import io.botsync.sync.BatchRuns;
import io.botsync.sync.BotsyncComponent;
import io.botsync.sync.ConfigException;
import io.botsync.sync.Pipeline;
import io.botsync.sync.Source;
import io.botsync.sync.Sources;
import io.botsync.sync.SyncService;
import io.botsync.warehouse.Warehouse;
import io.botsync.warehouse.WarehouseException;
import io.botsync.warehouse.WarehouseUnreachableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.util.TimeUtils;

/**
 * botsync assembled on Camel Main: properties (application.properties, then botsync.properties in the working
 * directory, system properties and environment variables), the warehouse, the {@code botsync} component whose
 * endpoints the route files use, and the routes of {@code botsync.routes.dir}. Every command loads the same routes:
 * {@code run} lets their schedules fire; the one-shot commands start only the routes that wait to be asked (the
 * sources, the push targets' outboxes and {@code direct:}) and ask their consumers for the runs they want.
 */
public final class Application implements AutoCloseable {

    /** How long a stop waits for the runs in flight to commit their page, before Camel stops anyway. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
    /** The route template an account's route is made from (routes/sync-account.yaml). */
    private static final String SYNC_TEMPLATE = "sync-account";
    /** Routes a one-shot command starts besides the sources': those that only run when sent to. */
    private static final Set<String> PASSIVE_SCHEMES = Set.of("direct");

    /** What a command needs of botsync. */
    public enum Mode {
        /** A one-shot command that may write: it creates the warehouse when there is none. */
        COMMAND,
        /** A one-shot command that only reads ({@code status}, {@code contacts show}, a dry run): the warehouse must exist. */
        READ_ONLY,
        /** {@code run}: the schedules fire, and health and metrics are served on the management port. */
        SERVICE,
        /**
         * {@code check}: the settings, the mappings and the routes are made and checked, and nothing runs. The warehouse
         * is not opened ({@link #warehouse()} is null), and the routes start as a one-shot command's do, with no
         * schedule, so no platform is called.
         */
        CHECK
    }

    private final Main main;
    private final Mode mode;
    private final boolean service;
    private Warehouse warehouse;
    private Contacts contacts;
    private Pipeline pipeline;
    private SyncService sync;
    private PushService push;
    private BatchRuns batch;
    private RunService runService;
    private List<String> checkedMappings;
    private Cluster cluster;

    private Application(Main main, Mode mode) {
        this.main = main;
        this.mode = mode;
        this.service = mode == Mode.SERVICE;
    }

    /**
     * Starts botsync for a one-shot command.
     *
     * @param overrides properties that win over every other source (the demo points sources at its simulators)
     * @throws ConfigException when the configuration, a route file or the warehouse is unusable
     * @throws WarehouseUnreachableException when the warehouse does not answer: not a configuration error
     */
    public static Application start(Map<String, String> overrides) {
        return start(overrides, Mode.COMMAND);
    }

    /**
     * @param service true for {@code run}: the schedules fire, and health and metrics are served on the management port
     */
    public static Application start(Map<String, String> overrides, boolean service) {
        return start(overrides, service ? Mode.SERVICE : Mode.COMMAND);
    }

    public static Application start(Map<String, String> overrides, Mode mode) {
        Path opsFile = ConfigFile.current();
        Main main = new Main();
        Application app = new Application(main, mode);
        boolean service = mode == Mode.SERVICE;
        main.setPropertyPlaceholderLocations((opsFile == null ? "" : "file:" + opsFile + ",") + "classpath:application.properties");
        Properties override = new Properties();
        if (service) {
            override.putAll(RunService.SERVICE_PROPERTIES);
        }
        override.putAll(overrides);
        main.setOverrideProperties(override);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configuring) {
                configuring.configure().setRoutesIncludePattern(RouteFiles.includePattern(
                        key -> configuring.getCamelContext().getPropertiesComponent().resolveProperty(key).orElse(null)));
                configuring.configure().setAutoStartup(service);
            }

            @Override
            public void afterConfigure(BaseMainSupport configured) {
                app.wire(configured.getCamelContext(), opsFile);
            }
        });
        try {
            main.start();
            app.routesStarted(main.getCamelContext());
        } catch (RuntimeException e) {
            RuntimeException error = e instanceof ConfigException config ? config : unreachable(e);
            if (error == null) {
                error = RouteFiles.startupError(main.getCamelContext(), e);
            }
            app.close();
            throw error;
        }
        return app;
    }

    /** The warehouse's being away, however Camel's start-up wrapped it; null when that is not the failure. */
    private static WarehouseUnreachableException unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WarehouseUnreachableException away) {
                return away;
            }
        }
        return null;
    }

    /** Checks the settings, then opens the warehouse: a start-up that fails on a setting leaves the warehouse as it was. */
    private void wire(CamelContext camel, Path opsFile) {
        Function<String, String> properties = key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null);
        try {
            StartupSettings.check(camel, opsFile);
            if (service) {
                RunService.requireFreePort(properties);
            }
            Sources sources = new Sources(properties);
            contacts = new Contacts(identitySettings(properties, sources));
            Mappings mappings = new Mappings(Path.of(properties.apply("botsync.mappings.dir")),
                    MappingLanguage.named(properties.apply("botsync.mappings.language")));
            if (mode == Mode.CHECK) {
                checkedMappings = mappings.checkAll(sources.all().stream().map(s -> s.platform().name()).distinct().toList());
            } else {
                mappings.check(sources.configured().stream().map(s -> s.platform().name()).distinct().toList());
                warehouse = openWarehouse(properties);
                warehouse.onUserChanges(contacts);
            }
            Duration progress = Duration.ofMillis(TimeUtils.toMilliSeconds(properties.apply("botsync.progress.interval")));
            pipeline = new Pipeline(warehouse, sources, mappings, progress, service, properties);
            BotsyncComponent component = new BotsyncComponent(pipeline);
            sync = new SyncService(pipeline);
            push = new PushService(warehouse, properties);
            push.addStagesTo(component, pipeline);
            camel.addComponent("botsync", component);
            // the push routes' error handling honours a target's Retry-After with it (routes/error-handling.yaml)
            camel.getRegistry().bind("retryAfter", new RetryAfterDelay(Duration.ofMillis(
                    TimeUtils.toMilliSeconds(properties.apply("botsync.push.max-redelivery-delay")))));
            if (mode == Mode.CHECK) {
                return;
            }
            batch = new BatchRuns(sync, pipeline);
            if (service) {
                cluster = cluster(camel, properties);
                runService = RunService.bind(camel, pipeline, push,
                        contacts.settings().enabled() ? new ContactQueries(warehouse, contacts.settings()) : null, properties);
                for (var routes : batch.serviceRoutes(Path.of(properties.apply("botsync.import.inbox")),
                        Duration.ofDays(days(properties, "botsync.raw.retention-days")), properties.apply("botsync.raw.prune-cron"))) {
                    camel.addRoutes(routes);
                }
                camel.addRoutes(new OutboxRetentionRoutes(push, Duration.ofDays(days(properties, "botsync.push.retention-days")),
                        properties.apply("botsync.push.prune-cron")));
            }
        } catch (ConfigException | WarehouseUnreachableException e) {
            throw e;
        } catch (MappingException | WarehouseException e) {
            throw new ConfigException(e.getMessage(), e);
        } catch (Exception e) {
            throw new ConfigException("cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * Gives every known source a route, so that any of them can be synced, replayed or imported into: a source no route
     * file reads (a default platform left out of accounts.yaml, an account of {@code botsync.accounts}) gets one from the
     * {@code sync-account} template, unscheduled. Then a one-shot command starts the routes that wait to be sent to.
     */
    private void routesStarted(CamelContext camel) throws RuntimeException {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        try {
            for (Source source : pipeline.sources().all()) {
                if (!pipeline.hasRoute(source.name()) && model.getRouteTemplateDefinition(SYNC_TEMPLATE) != null) {
                    String cron = camel.getPropertiesComponent().resolveProperty(source.config().key("cron")).orElse("0 0 0 * * ?");
                    TemplatedRouteBuilder.builder(camel, SYNC_TEMPLATE).routeId("sync-" + source.name())
                            .parameter("account", source.name()).parameter("platform", source.platform().name())
                            .parameter("cron", cron).parameter("enabled", "false").add();
                }
            }
            if (service) {
                runService.registerScheduled();
                if (cluster != null) {
                    cluster.started(camel);
                }
                return;
            }
            for (Route route : camel.getRoutes()) {
                if (route.getEndpoint() instanceof BotsyncComponent.OnDemand
                        || PASSIVE_SCHEMES.contains(route.getEndpoint().getEndpointUri().split(":", 2)[0])) {
                    camel.getRouteController().startRoute(route.getRouteId());
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private Warehouse openWarehouse(Function<String, String> properties) {
        String url = properties.apply("botsync.warehouse.url");
        String user = properties.apply("botsync.warehouse.user");
        String password = properties.apply("botsync.warehouse.password");
        return mode == Mode.READ_ONLY ? Warehouse.openExisting(url, user, password) : Warehouse.open(url, user, password);
    }

    /** Quartz's clustered job store in the warehouse when botsync.cluster.enabled says so, else null. */
    private static Cluster cluster(CamelContext camel, Function<String, String> properties) {
        try {
            return Cluster.configure(camel, properties).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static IdentitySettings identitySettings(Function<String, String> properties, Sources sources) {
        try {
            return IdentitySettings.from(properties, sources.configured().stream().map(Source::name).toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** The contacts: the CLI's contacts command rebuilds and shows them. */
    public Contacts contacts() {
        return contacts;
    }

    public SyncService sync() {
        return sync;
    }

    /** The push to targets: tests call a round directly instead of waiting for a schedule. */
    public PushService push() {
        return push;
    }

    /**
     * @throws ConfigException when no route pushes to the target, naming the key its shipped route waits for
     */
    public void requirePushTarget(String target) {
        try {
            push.require(target);
        } catch (ConfigException e) {
            String pattern = RouteFiles.includePattern(this::property);
            throw RouteFiles.preconditionKey(camel(), pattern, target).<ConfigException>map(key -> new ConfigException(
                    "push target " + target + " is not configured: its route is made once " + key + " is set ("
                            + SettingsCheck.variable(key) + "; README, Pushing changes)")).orElse(e);
        }
    }

    /** Replay and import. */
    public BatchRuns batch() {
        return batch;
    }

    /** The sources, their consumers and the runs' listeners. */
    public Pipeline pipeline() {
        return pipeline;
    }

    private static long days(Function<String, String> properties, String key) {
        String value = properties.apply(key);
        try {
            long days = Long.parseLong(value.trim());
            if (days >= 1) {
                return days;
            }
        } catch (RuntimeException e) {
            // reported below, with the key and the fix
        }
        throw new ConfigException(key + " is '" + value + "': set it to a whole number of days, 1 or more ("
                + SettingsCheck.variable(key) + ")");
    }

    /** Under {@code check}: the mapping files compiled, as messages name them. */
    List<String> checkedMappings() {
        return checkedMappings;
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
            if (pipeline != null) {
                pipeline.stopRuns(SHUTDOWN_WAIT);
            }
            main.stop();
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (warehouse != null) {
                warehouse.close();
            }
        }
    }
}
