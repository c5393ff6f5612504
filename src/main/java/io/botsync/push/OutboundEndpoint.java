package io.botsync.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.botsync.mapping.Mapping;
import io.botsync.mapping.Mappings;
import io.botsync.model.UserJson;
import io.botsync.source.UserRejectedException;
import io.botsync.sync.BotsyncComponent;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code botsync:outbound/<target>}: the target's payload, made from a batch of changes by its outbound mapping
 * {@code mappings/push/<target>.jslt}, one change at a time: the body becomes the JSON the mapping gives (an array of
 * them for a batch of several, or when the outbox sends arrays). Without a mapping of that name, the canonical JSON
 * goes on unchanged. The mapping is compiled when the route is made (a syntax error stops start-up, naming the file)
 * and read again as it changes. A change the mapping gives null for is left out (e.g. a user without an email, for a
 * CRM keyed by email); one the mapping fails on is the batch's refusal: parked.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync outbound mapping", syntax = "botsync:outbound/target",
        producerOnly = true, remote = false, category = {Category.TRANSFORMATION})
public final class OutboundEndpoint extends DefaultEndpoint implements BotsyncComponent.Checked {

    private final Mappings mappings;

    @UriPath(description = "The push target: its outbound mapping is mappings/push/<target>.jslt")
    @Metadata(required = true)
    private final String target;

    @UriParam(defaultValue = "false", description = "Also set each field of the payload as a header of its name (for"
            + " endpoints that take their parameters from headers, such as jdbc's named parameters); needs batchSize=1")
    private boolean headers;

    OutboundEndpoint(String uri, Component component, Mappings mappings, String target) {
        super(uri, component);
        this.mappings = mappings;
        this.target = target;
    }

    private String mappingName() {
        return "push/" + target;
    }

    @Override
    public void check() {
        if (mappings.exists(mappingName())) {
            mappings.forPlatform(mappingName());
        }
    }

    public String getTarget() {
        return target;
    }

    public boolean isHeaders() {
        return headers;
    }

    public void setHeaders(boolean headers) {
        this.headers = headers;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                ChangeBatch batch = ChangeBatch.of(exchange, getEndpointUri());
                if (mappings.exists(mappingName())) {
                    exchange.getMessage().setBody(map(batch, mappings.forPlatform(mappingName()), exchange));
                }
                if (headers) {
                    setHeaders(exchange, batch);
                }
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " maps changes: use it in a to step");
    }

    /** The payload's fields as headers: text, numbers and booleans as Java values, objects and arrays as JSON text. */
    private void setHeaders(Exchange exchange, ChangeBatch batch) {
        if (batch.sentAsArray()) {
            throw new IllegalArgumentException(getEndpointUri() + " sets headers from one payload: use batchSize=1 on the outbox");
        }
        JsonNode payload;
        try {
            payload = UserJson.JSON.readTree(exchange.getMessage().getBody(String.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(getEndpointUri() + ": the payload is not JSON: " + e.getMessage(), e);
        }
        payload.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            exchange.getMessage().setHeader(field.getKey(), value.isNull() ? null : value.isTextual() ? value.asText()
                    : value.isBoolean() ? (Object) value.asBoolean() : value.isIntegralNumber() ? (Object) value.asLong()
                    : value.isNumber() ? (Object) value.asDouble() : value.toString());
        });
    }

    private static String map(ChangeBatch batch, Mapping mapping, Exchange exchange) {
        List<JsonNode> payloads = new ArrayList<>();
        List<PushChange> leftOut = new ArrayList<>();
        for (PushChange change : batch.changes()) {
            try {
                JsonNode payload = mapping.apply(ChangeJson.of(change));
                if (payload != null && !payload.isNull() && !payload.isMissingNode()) {
                    payloads.add(payload);
                } else {
                    leftOut.add(change);
                }
            } catch (RuntimeException e) {
                throw new UserRejectedException(batch.target() + ": the outbound mapping " + mapping.file()
                        + " failed on change " + change.id() + ": " + e.getMessage());
            }
        }
        Parked.leaveOut(exchange, leftOut);
        if (!batch.sentAsArray()) {
            return payloads.isEmpty() ? "null" : payloads.get(0).toString();
        }
        ArrayNode array = UserJson.JSON.createArrayNode();
        payloads.forEach(array::add);
        return array.toString();
    }
}
