package io.botsync.push;

import io.botsync.source.RetryAfter;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Honours a target's {@code Retry-After}: run by a push route's error handling just after a failure and before Camel
 * decides when to redeliver ({@code onExceptionOccurredRef: retryAfter}), it sets that wait as the redelivery's delay,
 * at most the policy's longest. Answers without the header keep the policy's backoff.
 */
public final class RetryAfterDelay implements Processor {

    private final Duration longest;

    public RetryAfterDelay(Duration longest) {
        this.longest = longest;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof HttpOperationFailedException http && http.getResponseHeaders() != null) {
            http.getResponseHeaders().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Retry-After")).findFirst()
                    .flatMap(h -> RetryAfter.parse(h.getValue(), Clock.systemUTC()))
                    .ifPresent(wait -> exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY,
                            Math.min(wait.toMillis(), longest.toMillis())));
        }
    }
}
