package io.botsync.imports;

import io.botsync.source.SourceException;

/**
 * A file that cannot be imported (unknown format, unreadable, broken beyond one line); the message says why. To the
 * pipeline it is what a platform's refusal is: the run fails with this message, what was committed stays.
 */
public final class ImportException extends SourceException {

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
