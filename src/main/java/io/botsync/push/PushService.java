package io.botsync.push;

import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceException;
import io.botsync.source.UserRejectedException;
import io.botsync.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to push targets. One round of a target reads the changes after its committed position, in
 * order and in batches, delivers each batch (retrying with backoff), and advances the position only once the
 * target has accepted it: at-least-once, in order. A batch the target refuses is retried change by change, and a
 * change refused max-attempts times is parked with the reason; the push goes on. A target that stays unreachable
 * ends the round where it is; the next round starts there again. A route runs a round by sending to
 * {@code botsync:push/<target>} ({@link PushEndpoint}).
 */
public final class PushService {

    private static final Logger LOG = LoggerFactory.getLogger(PushService.class);

    private final ProducerTemplate template;
    private final PushTargets targets;
    private final PushStore store;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<String> toldNotConfigured = ConcurrentHashMap.newKeySet();

    public PushService(CamelContext camel, Warehouse warehouse, PushTargets targets) {
        this.template = camel.createProducerTemplate();
        this.targets = targets;
        this.store = new PushStore(warehouse);
    }

    public PushTargets targets() {
        return targets;
    }

    /**
     * One round for the target, as its route calls it. A target whose keys are not set is skipped (said once in
     * the log); a second round of a target still pushing is skipped, not queued.
     *
     * @throws io.botsync.sync.ConfigException when the target is unknown or a setting of it is wrong
     */
    public PushResult push(String name) {
        List<String> missing = targets.missingKeys(name);
        if (!missing.isEmpty()) {
            if (toldNotConfigured.add(name)) {
                LOG.info("push target {} is not configured (set {}); its route does nothing", name, String.join(", ", missing));
            }
            return new PushResult(name, PushResult.Status.SKIPPED, 0, 0, 0, 0, "not configured");
        }
        PushTarget target = targets.require(name, store, new PlatformHttp(template, "push." + name));
        if (!running.add(name)) {
            LOG.info("{}: a push is still running; this one is skipped", name);
            return new PushResult(name, PushResult.Status.SKIPPED, 0, 0, 0, store.position(name), "a push of this target is still running");
        }
        try {
            PushResult result = new Round(name, target).run();
            if (!result.ok()) {
                LOG.warn(result.summary());
            } else if (result.delivered() + result.parked() > 0) {
                LOG.info(result.summary());
            }
            return result;
        } finally {
            running.remove(name);
        }
    }

    /** A round of each target in turn; one failing does not stop the others. */
    public List<PushResult> pushAll(List<String> names) {
        List<PushResult> results = new ArrayList<>();
        for (String name : names) {
            results.add(push(name));
        }
        return results;
    }

    /** One round's progress; the position is committed as it goes, so a crash loses none of it. */
    private final class Round {

        private final String name;
        private final PushTarget target;
        private final PushSettings settings;
        private long position;
        private long delivered;
        private long passedOver;
        private long parked;

        Round(String name, PushTarget target) {
            this.name = name;
            this.target = target;
            this.settings = target.settings();
            this.position = store.position(name);
        }

        PushResult run() {
            List<PushChange> read;
            while (!(read = store.after(position, settings.batchSize())).isEmpty()) {
                List<PushChange> due = read.stream().filter(c -> !c.superseded() && target.takes(c)).toList();
                passedOver += read.size() - due.size();
                Failure failure = due.isEmpty() ? null : attempt(due);
                if (failure instanceof Failure.Refused && due.size() > 1) {
                    failure = oneByOne(due); // find the change it refuses; deliver the others
                } else if (failure instanceof Failure.Refused refused) {
                    park(due.get(0), refused);
                    failure = null;
                } else if (failure == null) {
                    delivered += due.size();
                }
                if (failure != null) {
                    return result(PushResult.Status.FAILED, failure.message());
                }
                advance(read.get(read.size() - 1).id());
            }
            return result(PushResult.Status.SUCCEEDED, null);
        }

        private Failure oneByOne(List<PushChange> due) {
            for (PushChange change : due) {
                Failure failure = attempt(List.of(change));
                if (failure instanceof Failure.Refused refused) {
                    park(change, refused);
                } else if (failure != null) {
                    return failure;
                } else {
                    delivered++;
                    advance(change.id());
                }
            }
            return null;
        }

        /** Delivers, retrying with backoff; null once delivered, else the last failure. */
        private Failure attempt(List<PushChange> changes) {
            for (int attempt = 1; ; attempt++) {
                Failure failure;
                try {
                    target.deliver(changes);
                    return null;
                } catch (UserRejectedException e) {
                    failure = new Failure.Refused(e.getMessage(), attempt);
                } catch (SourceException e) {
                    failure = new Failure.Unavailable(e.getMessage());
                }
                if (attempt >= settings.maxAttempts()) {
                    return failure;
                }
                LOG.debug("{}: attempt {} failed ({}); retrying", name, attempt, failure.message());
                try {
                    Thread.sleep(settings.backoffAfter(attempt).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Failure.Unavailable("interrupted while waiting to retry: " + failure.message());
                }
            }
        }

        private void park(PushChange change, Failure.Refused refused) {
            store.park(name, change, refused.attempts(), refused.message());
            position = change.id();
            parked++;
            LOG.warn("{}: change {} ({}/{}) parked after {} attempts: {}", name, change.id(), change.user().source(),
                    change.user().externalId(), refused.attempts(), refused.message());
        }

        private void advance(long changeId) {
            if (changeId > position) {
                store.advance(name, changeId);
                position = changeId;
            }
        }

        private PushResult result(PushResult.Status status, String error) {
            return new PushResult(name, status, delivered, passedOver, parked, position, error);
        }
    }

    private sealed interface Failure {
        String message();

        /** The target refused this content. */
        record Refused(String message, int attempts) implements Failure { }

        /** The target could not be reached, or refused us (credentials). */
        record Unavailable(String message) implements Failure { }
    }
}
