package io.botsync.source;

/**
 * A failure that may pass if the same request is made again: a 5xx or 429 answer, a timeout, a reset connection,
 * or a body cut short. {@link PlatformHttp} retries the request with backoff; once the attempts are spent the
 * source fails with this message. Readers throw it for a body they cannot even parse, so that the page is fetched
 * again instead of failing the run at once.
 */
public class RetryableSourceException extends SourceException {

    private final transient HttpReply reply;

    public RetryableSourceException(String message) {
        this(message, null);
    }

    /** @param reply the answer that failed, handed to the reader when no retry is left (null when there was none) */
    public RetryableSourceException(String message, HttpReply reply) {
        super(message);
        this.reply = reply;
    }

    public HttpReply reply() {
        return reply;
    }
}
