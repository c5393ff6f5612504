package io.botsync.source;

/**
 * The platform refused us or answered with something that is not data. The message is shown to ops as
 * it is: it names the source and, where it helps, the configuration key to check. It never holds a secret.
 */
public class SourceException extends RuntimeException {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
