package io.botsync.mapping;

/** One record cannot become a canonical user; its message is the reason stored in {@code rejected_record}. */
public class RejectedException extends RuntimeException {

    public RejectedException(String reason) {
        super(reason, null, false, false);
    }
}
