package io.botsync.sync;

import org.apache.camel.Exchange;

/** The body a stage needs, or an error that says which stage needed what and what it got instead. */
final class Bodies {

    private Bodies() {
    }

    static <T> T of(Exchange exchange, Class<T> type, String stage, String wanted) {
        Object body = exchange.getMessage().getBody();
        if (type.isInstance(body)) {
            return type.cast(body);
        }
        throw new IllegalArgumentException(stage + " needs " + wanted + " as the body; a step before it left "
                + (body == null ? "no body" : "a " + body.getClass().getName()));
    }
}
