package io.botsync.warehouse;

/** The warehouse cannot be reached, migrated or written; the message says which and names the key to check. */
public class WarehouseException extends RuntimeException {

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
