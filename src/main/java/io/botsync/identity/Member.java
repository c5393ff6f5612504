package io.botsync.identity;

import io.botsync.warehouse.UserKey;
import java.time.OffsetDateTime;

/**
 * A live user as the resolver sees it: its match keys now, and its contact_member row as stored (null fields when
 * it has none yet).
 *
 * @param email      its email key now, or null
 * @param phone      its phone key now, or null
 * @param oldContact the contact it belonged to, 0 for none
 * @param joinedAt   when it joined that contact
 * @param anchor     whether it is that contact's oldest live member (see {@link Grouping})
 */
record Member(UserKey user, String email, String phone, long oldContact, OffsetDateTime joinedAt, String oldMatchedOn,
              String oldEmail, String oldPhone, boolean anchor) {

    boolean stored() {
        return oldContact != 0;
    }

    /** Orders a contact's members from the oldest: joined first, then by source and external id. */
    boolean olderThan(Member other) {
        int byTime = joinedAt.compareTo(other.joinedAt);
        if (byTime != 0) {
            return byTime < 0;
        }
        int bySource = user.source().compareTo(other.user.source());
        return bySource != 0 ? bySource < 0 : user.externalId().compareTo(other.user.externalId()) < 0;
    }

    Member withAnchor(boolean isAnchor) {
        return new Member(user, email, phone, oldContact, joinedAt, oldMatchedOn, oldEmail, oldPhone, isAnchor);
    }
}
