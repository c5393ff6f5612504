package io.botsync.sync;

import io.botsync.mapping.Mappings;
import io.botsync.source.PlatformHttp;
import io.botsync.warehouse.RawPages;
import io.botsync.warehouse.Warehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * What botsync's endpoints in one Camel context share: the warehouse, the sources, the mappings, the source
 * consumers by account, which accounts are syncing (one run of an account at a time in this process; the
 * warehouse's lock extends that to every process), and who hears of finished runs (metrics, health).
 */
public final class Pipeline {

    private final Warehouse warehouse;
    private final Sources sources;
    private final Mappings mappings;
    private final MassDeleteGate massDeleteGate;
    private final Duration progressInterval;
    private final boolean scheduling;
    private final Map<String, List<SourceConsumer>> consumers = new ConcurrentHashMap<>();
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final List<Consumer<RunResult>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private ProducerTemplate template;
    private ExecutorService runner;

    /**
     * @param warehouse  null under {@code check}, which makes the routes and runs none
     * @param properties looks a property up (for the mass-delete gate), null when it is not set
     * @param scheduling true for {@code run}: source consumers fire on their schedules. False for the one-shot
     *                   commands, whose runs are asked for ({@link SourceConsumer#run})
     */
    public Pipeline(Warehouse warehouse, Sources sources, Mappings mappings, Duration progressInterval, boolean scheduling,
                    Function<String, String> properties) {
        this.warehouse = warehouse;
        this.sources = sources;
        this.mappings = mappings;
        this.massDeleteGate = new MassDeleteGate(properties);
        this.progressInterval = progressInterval;
        this.scheduling = scheduling;
    }

    /** Called by the component as it starts: platform requests go through this context's HTTP routes. */
    void attach(CamelContext camel) {
        template = camel.createProducerTemplate();
        runner = camel.getExecutorServiceManager().newCachedThreadPool(this, "botsync-run");
    }

    /** The threads of the runs asked for (see {@link SourceConsumer#run}). */
    ExecutorService runner() {
        return runner;
    }

    /** The requester of one source's platform calls, retried by the platform HTTP route. */
    public PlatformHttp http(String source) {
        return new PlatformHttp(template, source);
    }

    /** The requester of a push target's platform calls: sent once each, the push route's redelivery retries them. */
    public PlatformHttp httpWithoutRetries(String target) {
        return PlatformHttp.withoutRetries(template, target);
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public Sources sources() {
        return sources;
    }

    public Mappings mappings() {
        return mappings;
    }

    RawPages rawPages() {
        return new RawPages(warehouse.dataSource());
    }

    MassDeleteGate massDeleteGate() {
        return massDeleteGate;
    }

    Duration progressInterval() {
        return progressInterval;
    }

    /** True under {@code run}: consumers fire on their schedules; else commands ask them for runs. */
    public boolean scheduling() {
        return scheduling;
    }

    /** Hears of every run that ends, scheduled or asked for. */
    public void onRunFinished(Consumer<RunResult> listener) {
        listeners.add(listener);
    }

    void finished(RunResult result) {
        listeners.forEach(listener -> listener.accept(result));
    }

    void endpointCreated(String account) {
        endpoints.add(account);
    }

    /** Whether a route reads the account (its {@code botsync:source} endpoint exists). */
    public boolean hasRoute(String account) {
        return endpoints.contains(account);
    }

    void started(SourceConsumer consumer) {
        consumers.computeIfAbsent(consumer.account(), a -> new CopyOnWriteArrayList<>()).add(consumer);
    }

    void stopped(SourceConsumer consumer) {
        consumers.computeIfPresent(consumer.account(), (account, started) -> {
            started.remove(consumer);
            return started;
        });
    }

    /**
     * The consumer that runs what a command asks of an account: of the routes reading it, the first that is not a
     * {@code full=true} one (an account may have a second route, e.g. a weekly full scan).
     */
    public Optional<SourceConsumer> consumer(String account) {
        List<SourceConsumer> started = consumers.getOrDefault(account, List.of());
        return started.stream().filter(c -> !c.fullByDefault()).findFirst().or(() -> started.stream().findFirst());
    }

    /** Every consumer started, for the service's metrics and health. */
    public List<SourceConsumer> consumers() {
        List<SourceConsumer> all = new ArrayList<>();
        consumers.values().forEach(all::addAll);
        return all;
    }

    /** Marks the account as syncing; false when a run of it is already going on in this process. */
    boolean begin(String account) {
        return running.add(account);
    }

    void end(String account) {
        running.remove(account);
    }

    boolean stopping() {
        return stopping;
    }

    /**
     * Asks every run in flight to stop after the page it is reading, and waits up to {@code timeout} for them to commit
     * what they read and close their runs (as failed: "stopped"). Called on shutdown before Camel stops the routes, so
     * that SIGTERM never leaves a page half written and the process exits within about a page's time.
     */
    public void stopRuns(Duration timeout) {
        stopping = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
