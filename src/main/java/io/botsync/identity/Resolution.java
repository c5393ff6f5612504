package io.botsync.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One resolution of a set of members that is closed under matching (every live user sharing an unblocked key with a
 * member is a member): groups them ({@link Grouping}), gives each group its contact id, and writes the members'
 * contact_member rows where they changed. The contacts' own rows follow from those ({@link ContactRows}).
 */
final class Resolution {

    /** Whether a key matches nothing: blocked by the list, or held by more live users than the limit. */
    interface KeyRule {
        boolean blocked(String key);
    }

    /**
     * @param contacts the contact id of every group
     * @param merged   old contact id to the id it was merged into
     */
    record Result(Set<Long> contacts, Map<Long, Long> merged, long membersWritten) {
    }

    private Resolution() {
    }

    static Result resolve(Connection connection, List<Member> members, KeyRule emailRule, KeyRule phoneRule,
                          OffsetDateTime now) throws SQLException {
        int n = members.size();
        int[] emailKey = new int[n];
        int[] phoneKey = new int[n];
        Map<String, Integer> emails = new HashMap<>();
        Map<String, Integer> phones = new HashMap<>();
        long[] oldContact = new long[n];
        boolean[] anchor = new boolean[n];
        for (int i = 0; i < n; i++) {
            Member member = members.get(i);
            emailKey[i] = keyId(emails, member.email());
            phoneKey[i] = keyId(phones, member.phone());
            oldContact[i] = member.oldContact();
            anchor[i] = member.anchor();
        }
        Grouping grouping = new Grouping(emailKey, phoneKey, blocked(emails, emailRule), blocked(phones, phoneRule));
        long[] ids = contactIds(connection, grouping, oldContact, anchor);
        long written = writeMembers(connection, members, grouping, ids, now);
        Set<Long> contacts = new LinkedHashSet<>();
        for (long id : ids) {
            contacts.add(id);
        }
        return new Result(contacts, grouping.mergedInto(oldContact, anchor, ids), written);
    }

    /** Each group's contact id: the one it keeps, or a new one from the sequence. */
    static long[] contactIds(Connection connection, Grouping grouping, long[] oldContact, boolean[] anchor) throws SQLException {
        long[] ids = grouping.keptIds(oldContact, anchor);
        long[] fresh = ContactIds.next(connection, (int) java.util.Arrays.stream(ids).filter(id -> id == 0).count());
        for (int g = 0, f = 0; g < ids.length; g++) {
            if (ids[g] == 0) {
                ids[g] = fresh[f++];
            }
        }
        return ids;
    }

    private static int keyId(Map<String, Integer> ids, String key) {
        return key == null ? -1 : ids.computeIfAbsent(key, k -> ids.size());
    }

    private static boolean[] blocked(Map<String, Integer> ids, KeyRule rule) {
        boolean[] blocked = new boolean[ids.size()];
        ids.forEach((key, id) -> blocked[id] = rule.blocked(key));
        return blocked;
    }

    private static long writeMembers(Connection connection, List<Member> members, Grouping grouping, long[] ids,
                                     OffsetDateTime now) throws SQLException {
        try (MemberRows rows = new MemberRows(connection)) {
            for (int i = 0; i < members.size(); i++) {
                Member member = members.get(i);
                long id = ids[grouping.groupOf(i)];
                String matchedOn = grouping.matchedOn(i);
                boolean stays = member.stored() && member.oldContact() == id;
                if (stays && matchedOn.equals(member.oldMatchedOn()) && Objects.equals(member.email(), member.oldEmail())
                        && Objects.equals(member.phone(), member.oldPhone())) {
                    continue;
                }
                rows.write(member.stored(), member.user().source(), member.user().externalId(), id, matchedOn,
                        stays ? member.joinedAt() : now, member.email(), member.phone());
            }
            return rows.written();
        }
    }

    /** Contact ids, drawn from contact_id_seq. */
    static final class ContactIds {
        private ContactIds() {
        }

        static long[] next(Connection connection, int count) throws SQLException {
            long[] ids = new long[count];
            if (count == 0) {
                return ids;
            }
            boolean h2 = connection.getMetaData().getDatabaseProductName().startsWith("H2");
            try (PreparedStatement select = connection.prepareStatement(h2
                    ? "SELECT NEXT VALUE FOR contact_id_seq FROM SYSTEM_RANGE(1, ?)"
                    : "SELECT nextval('contact_id_seq') FROM generate_series(1, ?)")) {
                select.setInt(1, count);
                try (ResultSet rows = select.executeQuery()) {
                    for (int i = 0; i < count && rows.next(); i++) {
                        ids[i] = rows.getLong(1);
                    }
                }
            }
            java.util.Arrays.sort(ids); // new groups take ids in the order of their first member
            return ids;
        }
    }
}
