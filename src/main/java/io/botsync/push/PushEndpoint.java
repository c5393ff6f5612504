package io.botsync.push;

import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code botsync:push/<target>}: one push round of a target (its {@code botsync.push.<target>.*} settings) each time
 * an exchange arrives, e.g. from a schedule; the round's result is the body that comes out.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync push", syntax = "botsync:push/target",
        producerOnly = true, remote = false, category = {Category.SAAS})
public final class PushEndpoint extends DefaultEndpoint {

    private final PushService push;

    @UriPath(description = "The push target: a name listed in botsync.push.targets")
    @Metadata(required = true)
    private final String target;

    public PushEndpoint(String uri, Component component, PushService push, String target) {
        super(uri, component);
        this.push = push;
        this.target = target;
    }

    public String getTarget() {
        return target;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                exchange.getMessage().setBody(push.push(target));
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " pushes: use it in a to step");
    }
}
