package io.botsync.push;

import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code botsync:park}: the dead-letter step of a push route. It sets the batch's changes aside in {@code push_parked}
 * with what the target answered (the exception the route caught), so that the round goes on past them; {@code push
 * --retry-parked} sends them again.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync park", syntax = "botsync:park",
        producerOnly = true, remote = false, category = {Category.SAAS})
public final class ParkEndpoint extends DefaultEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ParkEndpoint.class);

    private final PushService push;

    ParkEndpoint(String uri, Component component, PushService push) {
        super(uri, component);
        this.push = push;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                park(exchange);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " parks changes: use it in a push route's error handling");
    }

    private void park(Exchange exchange) {
        ChangeBatch batch = ChangeBatch.of(exchange, getEndpointUri());
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "parked by the route" : Refusals.describe(cause, push.secrets(batch.target()));
        Integer redeliveries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        push.store().park(batch.target(), batch.changes(), redeliveries == null ? 1 : redeliveries + 1, reason);
        Parked.add(exchange, batch.changes());
        LOG.warn("{}: changes {} parked: {}", batch.target(), batch.idempotencyKey(), reason);
    }
}
