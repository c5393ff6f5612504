package io.botsync.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.push.PushResult;
import io.botsync.sync.RunResult;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the alerts, in the order they were raised, through Camel: a {@code seda} queue (the run or round that raised one
 * does not wait for the webhook) to an HTTP POST of the webhook, redelivered with exponential backoff when it fails
 * ({@code botsync.alerts.max-redeliveries}, {@code .redelivery-delay}, {@code .max-redelivery-delay}). A {@code timer}
 * looks at the sources' freshness every {@code botsync.alerts.interval}. The webhook's path is never logged: Slack's
 * holds its secret.
 */
public final class AlertRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AlertRoutes.class);
    private static final String QUEUE = "seda:botsync-alerts";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertSettings settings;
    private final Alerts alerts;
    private ProducerTemplate template;

    public AlertRoutes(AlertSettings settings, Alerts alerts) {
        this.settings = settings;
        this.alerts = alerts;
    }

    /** Sends what a finished run changed. */
    public void runFinished(RunResult result) {
        synchronized (alerts) { // in the order the changes were seen
            alerts.runFinished(result).forEach(this::queue);
        }
    }

    /** Sends what a finished push round changed. */
    public void roundFinished(PushResult round) {
        synchronized (alerts) {
            alerts.roundFinished(round).ifPresent(this::queue);
        }
    }

    @Override
    public void configure() {
        template = getContext().createProducerTemplate();
        long every = settings.interval().toMillis();
        from("timer:botsync-alerts?period=" + every + "&delay=" + every).routeId("alerts-check")
                .process(exchange -> {
                    synchronized (alerts) {
                        alerts.check(Instant.now()).forEach(this::queue);
                    }
                });
        from(QUEUE).routeId("alerts-send")
                .onException(Exception.class)
                    .maximumRedeliveries(settings.maxRedeliveries())
                    .redeliveryDelay(settings.redeliveryDelay())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .maximumRedeliveryDelay(settings.maxRedeliveryDelay())
                    // Camel's attempt lines would carry the webhook's whole URL, whose path may be its secret
                    .logRetryAttempted(false)
                    .logExhausted(false).logStackTrace(false).logExhaustedMessageHistory(false).logHandled(false)
                    .handled(true)
                    .process(this::notDelivered)
                .end()
                .process(this::request)
                .to(settings.webhook())
                .process(exchange -> LOG.info("alert sent: {}", exchange.getProperty("alert", Alert.class).message()));
    }

    private void queue(Alert alert) {
        LOG.info("alert: {}", alert.message());
        template.sendBody(QUEUE, alert);
    }

    private void request(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Alert alert = message.getBody(Alert.class);
        exchange.setProperty("alert", alert);
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        if (settings.format() == AlertSettings.Format.SLACK) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(JSON.writeValueAsString(JSON.createObjectNode().put("text", alert.message())));
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(alert.message());
        }
    }

    private void notDelivered(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why = failure instanceof HttpOperationFailedException http ? "HTTP " + http.getStatusCode()
                : failure == null ? "unknown" : failure.getClass().getSimpleName() + ": "
                        + String.valueOf(failure.getMessage()).replace(settings.webhook(), settings.shownWebhook());
        LOG.warn("alert not delivered to {} after {} attempts ({}): {}", settings.shownWebhook(), settings.maxRedeliveries() + 1,
                why, exchange.getProperty("alert", Alert.class).message());
    }
}
