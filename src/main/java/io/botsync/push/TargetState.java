package io.botsync.push;

import java.time.Instant;

/**
 * A push target as {@code status} and the metrics show it.
 *
 * @param position  the last change id it has had (delivered, passed over or parked)
 * @param head      the newest change id in the outbox
 * @param parked    its changes in {@code push_parked}
 * @param updatedAt when its position last moved
 * @param oldestWaiting when the first change after its position was made; null when none waits
 */
public record TargetState(String target, long position, long head, long parked, Instant updatedAt, Instant oldestWaiting) {

    /** The changes after its position: what it has still to be sent (some may be passed over). */
    public long backlog() {
        return Math.max(0, head - position);
    }
}
