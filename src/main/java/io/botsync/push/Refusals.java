package io.botsync.push;

import java.util.Collection;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.URISupport;

/** What a target answered, as one line for ops and for {@code push_parked.reason}, with its secrets blanked out. */
final class Refusals {

    /** How much of a target's answer a reason keeps. */
    private static final int EXCERPT = 300;

    private Refusals() {
    }

    /** @param secrets values to blank out, in case the target echoes what it was sent (a token) */
    static String describe(Throwable failure, Collection<String> secrets) {
        Throwable cause = failure;
        while (cause.getCause() != null && (cause instanceof RuntimeCamelException
                || cause instanceof CamelExecutionException || saysNothingOfItsOwn(cause))) {
            cause = cause.getCause();
        }
        String text;
        if (cause instanceof HttpOperationFailedException http) {
            String body = http.getResponseBody() == null ? "" : http.getResponseBody().strip();
            text = "HTTP " + http.getStatusCode() + " from " + URISupport.sanitizeUri(http.getUri())
                    + (body.isEmpty() ? "" : ": " + (body.length() <= EXCERPT ? body : body.substring(0, EXCERPT) + "..."));
        } else {
            text = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        }
        for (String secret : secrets) {
            text = text.replace(secret, "***");
        }
        return text;
    }

    /**
     * A wrapper without words of its own: no message, or only its cause's name (what {@code new Exception(cause)}
     * makes). The RabbitMQ client wraps the broker's refusal twice like that.
     */
    private static boolean saysNothingOfItsOwn(Throwable failure) {
        return failure.getMessage() == null || failure.getMessage().equals(failure.getCause().toString());
    }
}
