package io.botsync.sync;

/** Bad usage or configuration: the command exits 2 with this message, which names the key or file and the fix. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
