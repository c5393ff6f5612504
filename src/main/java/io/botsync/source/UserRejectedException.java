package io.botsync.source;

/**
 * A platform refused to write one user (invalid data, a duplicate it cannot resolve, a user that is gone there).
 * Other users may still go through, so a push retries and then parks this one instead of stopping.
 */
public class UserRejectedException extends SourceException {

    public UserRejectedException(String message) {
        super(message);
    }
}
