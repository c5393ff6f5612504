package io.botsync.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.botsync.model.CanonicalUser;
import io.botsync.model.UserJson;
import io.botsync.sync.BotsyncComponent;
import io.botsync.sync.ConfigException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code botsync:batch-errors/<target>}: reads a CRM's answer to a batch (the body after the HTTP call) the way
 * HubSpot's batch APIs give it: a 207 whose {@code errors} name the inputs refused ({@code context.ids}) with a
 * {@code message}. Those inputs' changes are parked with the message; the others were taken. An answer without
 * {@code errors} leaves the batch delivered.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync batch errors", syntax = "botsync:batch-errors/target",
        producerOnly = true, remote = false, category = {Category.SAAS})
public final class BatchErrorsEndpoint extends DefaultEndpoint implements BotsyncComponent.Checked {

    private static final Logger LOG = LoggerFactory.getLogger(BatchErrorsEndpoint.class);

    private final PushService push;

    @UriPath(description = "The push target whose answers these are")
    @Metadata(required = true)
    private final String target;

    @UriParam(defaultValue = "email", enums = "email,external_id", description = "The user field the answer's ids are:"
            + " email (HubSpot's idProperty email) or external_id")
    private String idField = "email";

    BatchErrorsEndpoint(String uri, Component component, PushService push, String target) {
        super(uri, component);
        this.push = push;
        this.target = target;
    }

    @Override
    public void check() {
        if (!idField.equals("email") && !idField.equals("external_id")) {
            throw new ConfigException("idField=" + idField + " on " + getEndpointUri() + ": set email or external_id");
        }
    }

    public String getTarget() {
        return target;
    }

    public String getIdField() {
        return idField;
    }

    public void setIdField(String idField) {
        this.idField = idField;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws IOException {
                parkRefused(exchange);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " reads a target's answer: use it in a to step");
    }

    private void parkRefused(Exchange exchange) throws IOException {
        ChangeBatch batch = exchange.getProperty(OutboxHeaders.BATCH, ChangeBatch.class);
        String body = exchange.getMessage().getBody(String.class);
        if (batch == null || body == null || body.isBlank()) {
            return;
        }
        JsonNode errors = UserJson.JSON.readTree(body).path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return;
        }
        Map<String, PushChange> byId = new HashMap<>();
        for (PushChange change : batch.changes()) {
            String id = idOf(change.user());
            if (id != null) {
                byId.put(id.toLowerCase(Locale.ROOT), change);
            }
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        for (JsonNode error : errors) {
            List<PushChange> refused = new java.util.ArrayList<>();
            error.path("context").path("ids").forEach(id -> {
                PushChange change = byId.get(id.asText().toLowerCase(Locale.ROOT));
                if (change != null) {
                    refused.add(change);
                }
            });
            if (!refused.isEmpty()) {
                String reason = Refusals.describe(new IllegalStateException("HTTP " + (status == null ? "207" : status) + " from "
                        + target + ": " + error.path("message").asText("refused")), push.secrets(target));
                push.store().park(target, refused, 1, reason);
                Parked.add(exchange, refused);
                LOG.warn("{}: {} of changes {} parked: {}", target, refused.size(), batch.idempotencyKey(), reason);
            }
        }
    }

    private String idOf(CanonicalUser user) {
        return idField.equals("email") ? user.email() : user.externalId();
    }
}
