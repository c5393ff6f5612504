package io.botsync.mapping;

/** A mapping file that cannot be used: start-up stops with this message (file, position, what is wrong). */
public class MappingException extends RuntimeException {

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }

    public MappingException(String message) {
        super(message);
    }
}
