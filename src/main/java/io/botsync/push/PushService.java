package io.botsync.push;

import io.botsync.sync.BotsyncComponent;
import io.botsync.sync.ConfigException;
import io.botsync.sync.Pipeline;
import io.botsync.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The push side of botsync: the {@code botsync:outbox}, {@code botsync:park} and {@code botsync:platform} endpoints,
 * and what {@code push} asks of them. A target is a route reading {@code botsync:outbox/<target>}; its rounds are that
 * route's (see {@link OutboxRound}), with Camel's error handling as their one retry layer.
 */
public final class PushService {

    /** The keys of a target whose values never reach a log or {@code push_parked} (blanked out if a target echoes them). */
    private static final List<String> SECRET_KEYS = List.of("token", "api-key", "master-api-key", "password");

    private final PushStore store;
    private final Function<String, String> properties;
    private final Map<String, OutboxConsumer> consumers = new ConcurrentHashMap<>();
    private final List<Consumer<PushResult>> listeners = new CopyOnWriteArrayList<>();

    public PushService(Warehouse warehouse, Function<String, String> properties) {
        this.store = new PushStore(warehouse);
        this.properties = properties;
    }

    /** Adds the push endpoints to botsync's component. */
    public void addStagesTo(BotsyncComponent component, Pipeline pipeline) {
        component.addStage("outbox", (uri, owner, name) -> new OutboxEndpoint(uri, owner, this, pipeline,
                BotsyncComponent.named("outbox", name)));
        component.addStage("park", (uri, owner, name) -> new ParkEndpoint(uri, owner, this));
        component.addStage("platform", (uri, owner, name) -> new PlatformEndpoint(uri, owner, this, pipeline,
                BotsyncComponent.named("platform", name)));
        component.addStage("outbound", (uri, owner, name) -> new OutboundEndpoint(uri, owner, pipeline.mappings(),
                BotsyncComponent.named("outbound", name)));
        component.addStage("batch-errors", (uri, owner, name) -> new BatchErrorsEndpoint(uri, owner, this,
                BotsyncComponent.named("batch-errors", name)));
        component.addJsonBody(ChangeBatch.class, batch -> ((ChangeBatch) batch).json());
    }

    PushStore store() {
        return store;
    }

    void started(OutboxConsumer consumer) {
        consumers.put(consumer.target(), consumer);
    }

    void stopped(OutboxConsumer consumer) {
        consumers.remove(consumer.target(), consumer);
    }

    /** Hears of every push round that ends. */
    public void onRoundFinished(Consumer<PushResult> listener) {
        listeners.add(listener);
    }

    void finished(PushResult result) {
        listeners.forEach(listener -> listener.accept(result));
    }

    /** The targets a route pushes to, by name. */
    public List<String> targets() {
        return consumers.keySet().stream().sorted().toList();
    }

    /**
     * One round of the target's route.
     *
     * @throws ConfigException when no route pushes to it
     */
    public PushResult push(String target) {
        return consumer(target).round();
    }

    /** Sends the target's parked changes again (see {@link OutboxConsumer#retryParked}). */
    public PushResult retryParked(String target) {
        return consumer(target).retryParked();
    }

    /** A round of each target in turn; one failing does not stop the others. */
    public List<PushResult> pushAll(List<String> names) {
        List<PushResult> results = new ArrayList<>();
        names.forEach(name -> results.add(push(name)));
        return results;
    }

    /** The state of every target that has had a round: position, backlog, parked changes. */
    public List<TargetState> states() {
        return store.states();
    }

    /**
     * Deletes the outbox rows that every target has passed and that are older than {@code retention} (see
     * {@link PushStore#prune}); run by the service on a schedule.
     */
    public int pruneOutbox(java.time.Duration retention) {
        Map<String, Feed> feeds = new java.util.HashMap<>();
        consumers.forEach((target, consumer) -> feeds.put(target, consumer.feed()));
        return store.prune(feeds, java.time.Instant.now().minus(retention));
    }

    /** The target's secret values, to blank out of what it answers. */
    List<String> secrets(String target) {
        return SECRET_KEYS.stream().map(key -> properties.apply("botsync.push." + target + "." + key))
                .filter(Objects::nonNull).map(String::strip).filter(v -> v.length() >= 4).toList();
    }

    /** @throws ConfigException when no route pushes to the target */
    public void require(String target) {
        consumer(target);
    }

    private OutboxConsumer consumer(String target) {
        OutboxConsumer consumer = consumers.get(target);
        if (consumer == null) {
            throw new ConfigException("no route pushes to the target " + target + (consumers.isEmpty() ? "" : " (the targets are "
                    + String.join(", ", targets()) + ")") + ": set its keys (a shipped route stays idle without them, README"
                    + " \"Pushing changes\"), or add a route reading botsync:outbox/" + target + " to routes/");
        }
        return consumer;
    }
}
