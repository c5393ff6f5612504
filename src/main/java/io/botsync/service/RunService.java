package io.botsync.service;

import io.botsync.alerts.AlertRoutes;
import io.botsync.alerts.AlertSettings;
import io.botsync.alerts.Alerts;
import io.botsync.identity.ContactQueries;
import io.botsync.observe.SourceFreshness;
import io.botsync.observe.StatusPage;
import io.botsync.observe.StatusRoutes;
import io.botsync.observe.TargetRounds;
import io.botsync.push.PushService;
import io.botsync.sync.ConfigException;
import io.botsync.sync.Pipeline;
import io.botsync.sync.SourceConsumer;
import io.botsync.warehouse.RunHistory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * What {@code run} adds to botsync: the management server's settings, the metrics of every run and push round and of
 * the warehouse's connection pool, the health of runs, rounds and the warehouse, the status page and the alerts. The
 * JVM and process series come from Micrometer's binders, which Camel binds to the same registry
 * ({@code camel.metrics.binders} in application.properties).
 */
public final class RunService {

    /** Camel settings only {@code run} has: the management server of /observe/health and /observe/metrics. */
    public static final Map<String, String> SERVICE_PROPERTIES = Map.of("camel.management.enabled", "true",
            "camel.metrics.enabled", "true");

    private final Pipeline pipeline;
    private final PushService push;
    private final SyncMetrics metrics;
    private final PushMetrics pushMetrics;
    /** Null when no alert webhook is set. */
    private final Alerts alerts;

    private RunService(Pipeline pipeline, PushService push, SyncMetrics metrics, PushMetrics pushMetrics, Alerts alerts) {
        this.pipeline = pipeline;
        this.push = push;
        this.metrics = metrics;
        this.pushMetrics = pushMetrics;
        this.alerts = alerts;
    }

    /**
     * Refuses a management port another program holds. Camel's HTTP server only logs a bind that failed and goes on
     * without {@code /observe/*}: the service would run blind, its health unanswered. Checked before the warehouse opens.
     *
     * @throws ConfigException naming the port's key and the fix
     */
    public static void requireFreePort(Function<String, String> properties) {
        String port = properties.apply("camel.management.port");
        String host = Optional.ofNullable(properties.apply("camel.management.host")).orElse("0.0.0.0");
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, Integer.parseInt(port.strip())));
        } catch (IOException | NumberFormatException e) {
            throw new ConfigException("camel.management.port " + port + " cannot be listened on at " + host + " ("
                    + e.getMessage() + "): another botsync or program may hold it; stop that, or set camel.management.port"
                    + " (CAMEL_MANAGEMENT_PORT) to a free port");
        }
    }

    /**
     * Records every finished run and push round in the metrics and in {@code /observe/health}, meters the warehouse's
     * connection pool, serves the status page, and sends the alerts when a webhook is set. Call before the routes start.
     */
    public static RunService bind(CamelContext camel, Pipeline pipeline, PushService push, ContactQueries contacts,
                                  Function<String, String> properties) {
        MeterRegistry registry = meterRegistry(camel);
        pipeline.warehouse().meterPool(registry);
        if (contacts != null) {
            contactGauges(registry, contacts);
        }
        SyncMetrics metrics = new SyncMetrics(registry);
        PushMetrics pushMetrics = new PushMetrics(registry, push);
        SourceHealth health = new SourceHealth(failedRuns(properties));
        HealthCheckRegistry.get(camel).register(health);
        HealthCheckRegistry.get(camel).register(new WarehouseHealth(pipeline.warehouse()));
        pipeline.onRunFinished(result -> {
            metrics.record(result);
            health.record(result);
        });
        TargetRounds rounds = new TargetRounds();
        push.onRoundFinished(result -> {
            pushMetrics.record(result);
            health.record(result);
            rounds.record(result);
        });
        RunHistory history = new RunHistory(pipeline.warehouse());
        SourceFreshness freshness = new SourceFreshness(pipeline, history, failedRuns(properties));
        StatusPage page = new StatusPage(pipeline.warehouse(), history, freshness, push, contacts, rounds);
        addRoutes(camel, new StatusRoutes(page, statusUser(properties), properties.apply("botsync.status.password")));
        Alerts alerts = AlertSettings.from(properties).map(settings -> {
            Alerts watching = new Alerts(freshness, history, rounds, push::states, settings);
            AlertRoutes routes = new AlertRoutes(settings, watching);
            addRoutes(camel, routes);
            pipeline.onRunFinished(routes::runFinished);
            // listeners are told in the order they were added: rounds has counted the round when the alerts look at it
            push.onRoundFinished(routes::roundFinished);
            return watching;
        }).orElse(null);
        return new RunService(pipeline, push, metrics, pushMetrics, alerts);
    }

    /**
     * Makes the meters of every scheduled source and every push target visible, at zero, before their first run, and
     * has the alerts read where the sources stand. Call once the routes started.
     */
    public void registerScheduled() {
        pipeline.consumers().stream().filter(SourceConsumer::scheduled).map(SourceConsumer::account).distinct()
                .forEach(metrics::register);
        push.targets().forEach(pushMetrics::register);
        if (alerts != null) {
            alerts.start(Instant.now());
        }
    }

    /**
     * Contacts by state, read from the warehouse when scraped: one reading serves the four gauges of a scrape (each
     * would otherwise count the contacts again), and is read anew a second later.
     */
    private static void contactGauges(MeterRegistry registry, ContactQueries contacts) {
        Supplier<ContactQueries.Counts> counts = new Supplier<>() {
            private ContactQueries.Counts last;
            private long readAt;

            @Override
            public synchronized ContactQueries.Counts get() {
                long now = System.nanoTime();
                if (last == null || now - readAt > 1_000_000_000L) {
                    last = contacts.counts();
                    readAt = now;
                }
                return last;
            }
        };
        Map<String, ToLongFunction<ContactQueries.Counts>> states = Map.of("live", ContactQueries.Counts::live,
                "merged", ContactQueries.Counts::merged, "deleted", ContactQueries.Counts::deleted);
        states.forEach((state, value) -> Gauge.builder("botsync.contacts", () -> value.applyAsLong(counts.get()))
                .description("contacts by state").tags("state", state).register(registry));
        Gauge.builder("botsync.contact.members", () -> counts.get().members())
                .description("live users resolved into contacts").register(registry);
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

    /** {@code botsync.status.user}, or null when the page is open; a user without a password is refused. */
    private static String statusUser(Function<String, String> properties) {
        String user = properties.apply("botsync.status.user");
        String password = properties.apply("botsync.status.password");
        boolean hasUser = user != null && !user.isBlank();
        boolean hasPassword = password != null && !password.isBlank();
        if (hasUser != hasPassword) {
            throw new ConfigException("the status page takes a user and a password: set both botsync.status.user and"
                    + " botsync.status.password (BOTSYNC_STATUS_USER, BOTSYNC_STATUS_PASSWORD), or neither");
        }
        return hasUser ? user.strip() : null;
    }

    private static void addRoutes(CamelContext camel, RoutesBuilder routes) {
        try {
            camel.addRoutes(routes);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the routes of " + routes.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
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
