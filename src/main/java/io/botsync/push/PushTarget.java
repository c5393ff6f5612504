package io.botsync.push;

import io.botsync.source.SourceException;
import io.botsync.source.UserRejectedException;
import java.util.List;

/** Where a push route delivers the warehouse's changes: a webhook / CRM REST endpoint or a chatbot platform. */
interface PushTarget {

    PushSettings settings();

    /** False for a change that is none of this target's business; it is passed over, not delivered. */
    boolean takes(PushChange change);

    /**
     * Delivers the changes, in order, all of them, or throws.
     *
     * @throws UserRejectedException the target refused the content: retried, then parked
     * @throws SourceException       the target is unreachable, down or refuses our credentials: retried, then the
     *                               round stops where it is and the next one starts there again
     */
    void deliver(List<PushChange> changes);
}
