package io.botsync.warehouse;

import io.botsync.model.CanonicalUser;

/**
 * A user a page transaction changed, as it is once the transaction commits.
 *
 * @param user     the user as written; null when the transaction flagged it deleted
 * @param inserted the transaction made its crm_user row: nothing about it was stored before
 */
public record UserChange(UserKey key, CanonicalUser user, boolean inserted) {

    public boolean live() {
        return user != null;
    }
}
