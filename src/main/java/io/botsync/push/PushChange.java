package io.botsync.push;

import io.botsync.model.CanonicalUser;

/**
 * One outbox event as a push sees it: the change id, what happened, and the user as the warehouse holds it now.
 *
 * @param kind       {@code inserted}, {@code updated} or {@code deleted}
 * @param superseded a later change of this user exists (its content or its deletion flag moved on): delivering the
 *                   later one is enough, so this one is passed over
 */
public record PushChange(long id, String kind, CanonicalUser user, boolean deleted, boolean superseded) {
}
