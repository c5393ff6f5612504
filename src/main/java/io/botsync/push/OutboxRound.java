package io.botsync.push;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push round of a target: its parked changes (when asked), then the outbox after its position, a batch at a time,
 * each batch one exchange sent through the target's route and waited for. A batch that completed (delivered, or parked
 * by the route's error handling) moves the position past it, committed before the next batch is read; one that failed
 * (the route gave up: the target is away or refuses our credentials) ends the round, and the next one starts there.
 */
final class OutboxRound {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRound.class);

    private final OutboxEndpoint endpoint;
    private final ScheduledPollConsumer consumer;
    private final Processor route;
    private final PushStore store;
    private final String target;
    private long delivered;
    private long passedOver;
    private long parked;
    /** The changes of the last batch sent that the target took (not parked). */
    private List<PushChange> taken = List.of();

    OutboxRound(OutboxEndpoint endpoint, ScheduledPollConsumer consumer, Processor route) {
        this.endpoint = endpoint;
        this.consumer = consumer;
        this.route = route;
        this.store = endpoint.push().store();
        this.target = endpoint.getTarget();
    }

    PushResult run(boolean parkedFirst, boolean outbox) {
        Feed feed = endpoint.feed();
        Feed stored = store.feed(target).orElse(feed);
        if (stored != feed) {
            String failure = target + ": its position counts " + stored.optionValue() + "' changes, and its endpoint now reads "
                    + feed.optionValue() + " (entity=" + feed.optionValue() + "): give the target another name to start it"
                    + " afresh, or set entity=" + stored.optionValue() + " again";
            LOG.warn(failure);
            return new PushResult(target, PushResult.Status.FAILED, 0, 0, 0, store.position(target).orElse(0), failure);
        }
        long position = store.position(target).orElseGet(this::start);
        String failure = parkedFirst ? retryParked() : null;
        if (failure == null && outbox) {
            List<PushChange> read;
            while (failure == null && !(read = store.after(feed, position, endpoint.getBatchSize())).isEmpty()) {
                List<PushChange> due = read.stream().filter(endpoint::takes).toList();
                passedOver += read.size() - due.size();
                failure = due.isEmpty() ? null : send(due);
                if (failure == null) {
                    position = read.get(read.size() - 1).id();
                    store.advance(target, position);
                }
            }
        }
        PushResult result = new PushResult(target, failure == null ? PushResult.Status.SUCCEEDED : PushResult.Status.FAILED,
                delivered, passedOver, parked, position, failure);
        if (failure != null) {
            LOG.warn(result.summary());
        } else if (delivered + parked > 0) {
            LOG.info(result.summary());
        }
        return result;
    }

    /** A target's first round: it starts where its endpoint says, and that start is its committed position. */
    private long start() {
        long position = endpoint.getFrom().equals("now") ? store.head(endpoint.feed()) : 0;
        store.start(target, endpoint.feed(), position);
        LOG.info("{}: first round; it starts after change {} (from={})", target, position, endpoint.getFrom());
        return position;
    }

    private String retryParked() {
        long after = 0;
        List<PushChange> batch;
        while (!(batch = store.parked(endpoint.feed(), target, after, endpoint.getBatchSize())).isEmpty()) {
            String failure = send(batch);
            if (failure != null) {
                return failure;
            }
            store.unpark(target, taken);
            after = batch.get(batch.size() - 1).id();
        }
        return null;
    }

    /** Sends one batch through the route and waits for it; null once it completed, else why the route gave up. */
    private String send(List<PushChange> changes) {
        ChangeBatch batch = new ChangeBatch(target, changes, endpoint.getBatchSize() > 1);
        Exchange exchange = consumer.createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setBody(batch);
            message.setHeader(OutboxHeaders.TARGET, target);
            message.setHeader(OutboxHeaders.CHANGE_IDS, changes.stream().map(PushChange::id).toList());
            message.setHeader(OutboxHeaders.IDEMPOTENCY_KEY, batch.idempotencyKey());
            message.setHeader(OutboxHeaders.CHANGES, changes.size());
            exchange.setProperty(OutboxHeaders.BATCH, batch);
            try {
                route.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                return target + ": " + Refusals.describe(exchange.getException(), endpoint.push().secrets(target));
            }
            List<Long> parkedIds = Parked.of(exchange);
            List<Long> leftOut = Parked.leftOut(exchange);
            parked += parkedIds.size();
            passedOver += leftOut.size();
            delivered += changes.size() - parkedIds.size() - leftOut.size();
            taken = changes.stream().filter(change -> !parkedIds.contains(change.id())).toList();
            return null;
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }
}
