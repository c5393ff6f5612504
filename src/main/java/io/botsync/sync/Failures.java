package io.botsync.sync;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.RuntimeCamelException;

/** What a failure says to ops: its own message, not Camel's wrapper around it. */
final class Failures {

    private Failures() {
    }

    static String message(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof RuntimeCamelException || cause instanceof CamelExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
