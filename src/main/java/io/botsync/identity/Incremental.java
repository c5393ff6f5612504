package io.botsync.identity;

import io.botsync.model.CanonicalUser;
import io.botsync.warehouse.UserChange;
import io.botsync.warehouse.UserKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the contacts of the users one transaction changed, touching only the people they belong to now or
 * belonged to before: the old contacts of those users, and the contacts of everyone holding one of their old or new
 * keys (when the key matches, or matched before: a key crossing the group-size limit splits or joins its holders).
 * Those contacts' members are closed under matching, since the contacts before the change were, so resolving just
 * them gives what a rebuild of everyone gives.
 */
record Incremental(Connection connection, Keys keys, IdentitySettings settings, Survivorship survivorship,
                   OffsetDateTime now) {

    /** Values per IN list: kept small for H2's plans (see ContactRows.CHUNK). */
    private static final int CHUNK = 100;

    /** A contact_member row as stored. */
    private record Row(UserKey user, long contact, OffsetDateTime joinedAt, String matchedOn, String email, String phone) {
    }

    /** @return the contact_member rows written */
    long resolve(Collection<UserChange> changes) throws SQLException {
        List<UserKey> users = new ArrayList<>();
        List<UserKey> stored = new ArrayList<>();
        Set<UserKey> changed = new HashSet<>();
        Map<UserKey, String[]> live = new LinkedHashMap<>();
        Map<UserKey, CanonicalUser> written = new HashMap<>();
        for (UserChange change : changes) {
            users.add(change.key());
            changed.add(change.key());
            if (!change.inserted()) {
                stored.add(change.key()); // a user new to crm_user has no member row to look up
            }
            if (change.live()) {
                live.put(change.key(), new String[] {Keys.email(change.user().email()), keys.phone(change.user().phone())});
                written.put(change.key(), change.user());
            }
        }
        Map<UserKey, Row> before = new HashMap<>();
        for (Row row : rowsOf(stored)) {
            before.put(row.user(), row);
        }
        KeyCounts emails = new KeyCounts("email_key");
        KeyCounts phones = new KeyCounts("phone_key");
        for (UserKey user : users) {
            Row old = before.get(user);
            if (old != null) {
                emails.left(old.email());
                phones.left(old.phone());
            }
            String[] current = live.get(user);
            if (current != null) {
                emails.joined(current[0]);
                phones.joined(current[1]);
            }
        }
        emails.count();
        phones.count();

        Set<Long> contacts = new LinkedHashSet<>();
        before.values().forEach(row -> contacts.add(row.contact()));
        contacts.addAll(emails.contactsToRecheck());
        contacts.addAll(phones.contactsToRecheck());

        List<Member> members = new ArrayList<>();
        for (Row row : rows("m.contact_id IN", 1, new ArrayList<>(contacts))) {
            if (!changed.contains(row.user())) {
                members.add(new Member(row.user(), row.email(), row.phone(), row.contact(), row.joinedAt(), row.matchedOn(),
                        row.email(), row.phone(), false));
            }
        }
        for (Map.Entry<UserKey, String[]> user : live.entrySet()) {
            Row old = before.get(user.getKey());
            members.add(old == null
                    ? new Member(user.getKey(), user.getValue()[0], user.getValue()[1], 0, null, null, null, null, false)
                    : new Member(user.getKey(), user.getValue()[0], user.getValue()[1], old.contact(), old.joinedAt(),
                            old.matchedOn(), old.email(), old.phone(), false));
        }
        forgetGone(users, live, before);
        emails.countOthers(members);
        phones.countOthers(members);
        Resolution.Result result = Resolution.resolve(connection, anchored(members), emails::blocked, phones::blocked, now);
        // merged and emptied contacts first, so their events come before the survivors': a target keyed by email
        // (a CRM) ends holding the survivor, not the merged contact that had the same address
        ContactRows rows = new ContactRows(connection, survivorship, now);
        rows.merged(result.merged());
        Set<Long> gone = new LinkedHashSet<>(contacts);
        gone.removeAll(result.contacts());
        gone.removeAll(result.merged().keySet());
        rows.retireEmpty(gone);
        rows.refresh(result.contacts(), written);
        return result.membersWritten();
    }

    /** Marks each old contact's oldest member among the live ones (Rebuild does the same on its arrays). */
    private static List<Member> anchored(List<Member> members) {
        Map<Long, Integer> oldest = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            if (member.stored()) {
                Integer current = oldest.get(member.oldContact());
                if (current == null || member.olderThan(members.get(current))) {
                    oldest.put(member.oldContact(), i);
                }
            }
        }
        List<Member> anchored = new ArrayList<>(members);
        oldest.values().forEach(i -> anchored.set(i, members.get(i).withAnchor(true)));
        return anchored;
    }

    /** The rows of users no longer live go: deleted users leave their contact. */
    private void forgetGone(List<UserKey> users, Map<UserKey, String[]> live, Map<UserKey, Row> before) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM contact_member WHERE source = ? AND external_id = ?")) {
            for (UserKey user : users) {
                if (!live.containsKey(user) && before.containsKey(user)) {
                    delete.setString(1, user.source());
                    delete.setString(2, user.externalId());
                    delete.addBatch();
                }
            }
            delete.executeBatch();
        }
    }

    /**
     * The stored contact_member rows of these users, by primary key: {@code (source, external_id) IN ((?, ?), ...)},
     * which H2 looks up key by key (given {@code source = ? AND external_id IN (...)}, it read every row of the source).
     */
    private List<Row> rowsOf(List<UserKey> users) throws SQLException {
        List<Object> pairs = new ArrayList<>();
        users.forEach(user -> {
            pairs.add(user.source());
            pairs.add(user.externalId());
        });
        return rows("(m.source, m.external_id) IN", 2, pairs);
    }

    /**
     * Stored contact_member rows where {@code condition} (on alias m, ending in IN) holds for any of the values, taken
     * {@code width} at a time: one value (a contact id) or a (source, external id) pair.
     */
    private List<Row> rows(String condition, int width, List<?> values) throws SQLException {
        List<Row> rows = new ArrayList<>();
        String tuple = width == 1 ? "?" : "(" + "?, ".repeat(width - 1) + "?)";
        for (int from = 0; from < values.size(); from += CHUNK * width) {
            List<?> chunk = values.subList(from, Math.min(values.size(), from + CHUNK * width));
            try (PreparedStatement select = connection.prepareStatement("SELECT m.source, m.external_id, m.contact_id, "
                    + "m.joined_at, m.matched_on, m.email_key, m.phone_key FROM contact_member m WHERE " + condition
                    + " (" + String.join(", ", java.util.Collections.nCopies(chunk.size() / width, tuple)) + ")")) {
                bind(select, chunk);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(new Row(new UserKey(result.getString(1), result.getString(2)), result.getLong(3),
                                result.getObject(4, OffsetDateTime.class), result.getString(5), result.getString(6),
                                result.getString(7)));
                    }
                }
            }
        }
        return rows;
    }

    private static void bind(PreparedStatement statement, List<?> values) throws SQLException {
        int i = 1;
        for (Object value : values) {
            statement.setObject(i++, value);
        }
    }

    /**
     * The live holders of one kind of key, counted in the database as stored and corrected by this transaction's
     * changes: whether each key matches, and which contacts hold the keys the changes touched.
     */
    private final class KeyCounts {
        private final String column;
        /** The keys the changed users held or hold, with how many of them left and joined each. */
        private final Map<String, int[]> touched = new HashMap<>();
        private final Map<String, Integer> stored = new HashMap<>();

        KeyCounts(String column) {
            this.column = column;
        }

        void left(String key) {
            if (key != null && !keys.blocked(key)) {
                touched.computeIfAbsent(key, k -> new int[2])[0]++;
            }
        }

        void joined(String key) {
            if (key != null && !keys.blocked(key)) {
                touched.computeIfAbsent(key, k -> new int[2])[1]++;
            }
        }

        /** Counts the touched keys' holders as stored (the changed users' old rows included). */
        void count() throws SQLException {
            countStored(touched.keySet());
        }

        /** Counts the other keys of the members (their counts did not change). */
        void countOthers(List<Member> members) throws SQLException {
            Set<String> others = new HashSet<>();
            for (Member member : members) {
                String key = column.equals("email_key") ? member.email() : member.phone();
                if (key != null && !stored.containsKey(key) && !keys.blocked(key)) {
                    others.add(key);
                }
            }
            countStored(others);
        }

        /** The holders of a key once this transaction commits. */
        private int holders(String key) {
            int count = stored.getOrDefault(key, 0);
            int[] change = touched.get(key);
            return change == null ? count : count - change[0] + change[1];
        }

        boolean blocked(String key) {
            return keys.blocked(key) || holders(key) > settings.maxGroupSize();
        }

        /** The contacts holding a touched key that matches now or matched before: their members regroup. */
        Set<Long> contactsToRecheck() throws SQLException {
            List<String> recheck = new ArrayList<>();
            for (String key : touched.keySet()) {
                if (holders(key) <= settings.maxGroupSize() || stored.getOrDefault(key, 0) <= settings.maxGroupSize()) {
                    recheck.add(key);
                }
            }
            Set<Long> contacts = new LinkedHashSet<>();
            for (int from = 0; from < recheck.size(); from += CHUNK) {
                List<String> chunk = recheck.subList(from, Math.min(recheck.size(), from + CHUNK));
                try (PreparedStatement select = connection.prepareStatement("SELECT contact_id FROM contact_member WHERE "
                        + column + " IN (" + Contacts.placeholders(chunk) + ")")) {
                    bind(select, chunk);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            contacts.add(rows.getLong(1));
                        }
                    }
                }
            }
            return contacts;
        }

        /**
         * Counts the holders of each key, one index lookup per key (H2 answered a GROUP BY over an IN list by reading
         * the whole index).
         */
        private void countStored(Collection<String> keysToCount) throws SQLException {
            List<String> all = new ArrayList<>(keysToCount);
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                try (PreparedStatement select = connection.prepareStatement("SELECT k.v, (SELECT COUNT(*) FROM contact_member m"
                        + " WHERE m." + column + " = k.v) FROM (VALUES "
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "(CAST(? AS varchar(320)))"))
                        + ") AS k(v)")) {
                    bind(select, chunk);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            stored.put(rows.getString(1), rows.getInt(2));
                        }
                    }
                }
            }
        }
    }
}
