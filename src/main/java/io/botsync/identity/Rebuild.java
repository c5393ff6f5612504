package io.botsync.identity;

import io.botsync.warehouse.UserKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Every live user resolved again from crm_user alone: their keys, their groups, their contacts' fields. Existing
 * ids are kept by the same rules as the incremental resolver's ({@link Grouping}), so a rebuild of contacts that are
 * in step writes nothing. Runs in the caller's transaction, which holds the outbox lock: no users change meanwhile.
 */
record Rebuild(Connection connection, Keys keys, IdentitySettings settings, Survivorship survivorship,
                 OffsetDateTime now) {

    /** Each live user with its stored contact_member row, if any. */
    private static final String LIVE_USERS = """
            SELECT u.source, u.external_id, u.email, u.phone, m.contact_id, m.joined_at, m.matched_on, m.email_key, m.phone_key
            FROM crm_user u LEFT JOIN contact_member m ON m.source = u.source AND m.external_id = u.external_id
            WHERE NOT u.deleted
            ORDER BY u.source, u.external_id""";

    Contacts.RebuildResult run() throws SQLException {
        List<Member> members = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(LIVE_USERS)) {
            select.setFetchSize(1000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long contact = rows.getLong(5);
                    members.add(new Member(new UserKey(rows.getString(1), rows.getString(2)), Keys.email(rows.getString(3)),
                            keys.phone(rows.getString(4)), contact, rows.getObject(6, OffsetDateTime.class), rows.getString(7),
                            rows.getString(8), rows.getString(9), false));
                }
            }
        }
        long gone;
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM contact_member WHERE NOT EXISTS (SELECT 1 "
                + "FROM crm_user u WHERE u.source = contact_member.source AND u.external_id = contact_member.external_id "
                + "AND NOT u.deleted)")) {
            gone = delete.executeUpdate();
        }
        // every live user is a member here, so a key's holders among them are all its holders
        Resolution.KeyRule rule = (key, holders) -> keys.blocked(key) || holders > settings.maxGroupSize();
        Resolution.Result result = Resolution.resolve(connection, Incremental.anchored(members), rule, rule, now);
        ContactRows rows = new ContactRows(connection, survivorship, now);
        rows.merged(result.merged()); // before the survivors' events, as in Incremental
        rows.retireEmpty(null);
        rows.refreshAll();
        return new Contacts.RebuildResult(members.size(), result.contacts().size(), gone + result.membersWritten(), rows.written());
    }
}
