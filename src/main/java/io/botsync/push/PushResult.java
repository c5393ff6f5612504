package io.botsync.push;

/**
 * What one push round did for one target.
 *
 * @param delivered  changes the target accepted
 * @param passedOver changes it had no business with (superseded by a later change of the user, a source it does
 *                   not take, the platform the user came from, a deletion a platform is not told of)
 * @param parked     changes it refused max-attempts times, set aside in {@code push_parked}
 * @param position   the change id the target has had everything up to, after the round
 */
public record PushResult(String target, Status status, long delivered, long passedOver, long parked, long position,
                         String error) {

    public enum Status { SUCCEEDED, FAILED, SKIPPED }

    public boolean ok() {
        return status != Status.FAILED;
    }

    /** One line for ops: {@code crm: pushed 120, passed over 3, parked 1; position 456}. */
    public String summary() {
        String counts = "pushed " + delivered + ", passed over " + passedOver + ", parked " + parked + "; position " + position;
        return switch (status) {
            case SUCCEEDED -> target + ": " + counts;
            case FAILED -> target + ": push stopped (" + counts + "; the next push resumes here): " + error;
            case SKIPPED -> target + ": push skipped: " + error;
        };
    }
}
