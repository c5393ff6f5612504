package io.botsync.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.model.CanonicalUser;
import io.botsync.warehouse.UserKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The contact rows, computed from their members' rows: each field by survivorship, the dates, the count. Writes a
 * row only when it differs from the stored one, with a contact_change event for each write.
 */
final class ContactRows {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Contacts read, compared and written at once. Small on purpose: H2 plans a statement once, when it first runs
     * (often while the tables are nearly empty), and keeps that plan; for an IN list much longer than this it then
     * chose to scan the table, which later held a million rows.
     */
    private static final int CHUNK = 100;

    private static final String MEMBERS = """
            SELECT m.contact_id, m.source, m.external_id, m.email_key, m.phone_key, u.first_name, u.last_name,
                   u.display_name, u.locale, u.created_at, u.updated_at
            FROM contact_member m JOIN crm_user u ON u.source = m.source AND u.external_id = m.external_id""";

    private final Connection connection;
    private final Survivorship survivorship;
    private final OffsetDateTime now;
    private final ContactEvents events;
    private long written;

    ContactRows(Connection connection, Survivorship survivorship, OffsetDateTime now) {
        this.connection = connection;
        this.survivorship = survivorship;
        this.now = now;
        this.events = new ContactEvents(connection, now);
    }

    /** How many contact rows this wrote (inserted, changed, merged or deleted). */
    long written() {
        return written;
    }

    /** A contact_member row as refresh reads it: the member's contact and its match keys. */
    private record Keyed(long contact, UserKey user, String email, String phone) {
    }

    /** The columns a contact takes of a member's crm_user row besides its keys. */
    private record Profile(String firstName, String lastName, String displayName, String locale, OffsetDateTime createdAt,
                           OffsetDateTime updatedAt) {

        Survivorship.Candidate of(Keyed member) {
            return new Survivorship.Candidate(member.user().source(), member.user().externalId(), member.email(),
                    member.phone(), firstName, lastName, displayName, locale, createdAt, updatedAt);
        }

        /** As the warehouse holds the user once written: its instants to the nearest microsecond. */
        static Profile of(CanonicalUser user) {
            return new Profile(user.firstName(), user.lastName(), user.displayName(), user.locale(), stored(user.createdAt()),
                    stored(user.updatedAt()));
        }

        /** As the warehouse stores an instant: to the nearest microsecond (Instabot's times have seven digits). */
        private static OffsetDateTime stored(java.time.Instant instant) {
            if (instant == null) {
                return null;
            }
            long micros = Math.round(instant.getNano() / 1000.0);
            return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusNanos(micros * 1000)
                    .atOffset(java.time.ZoneOffset.UTC);
        }
    }

    /**
     * Brings the rows of these contacts in line with their members: their members by contact id, then the members'
     * users by key, each an index lookup (a join left the choice of plan to the database, and H2 and PostgreSQL with
     * stale statistics scanned crm_user whole).
     *
     * @param written users this transaction wrote, as written: they need not be read back
     */
    void refresh(Collection<Long> ids, Map<UserKey, CanonicalUser> written) throws SQLException {
        List<Long> all = new ArrayList<>(new java.util.TreeSet<>(ids)); // in id order: the events' order is the same every time
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            List<Keyed> members = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT contact_id, source, external_id, email_key,"
                    + " phone_key FROM contact_member WHERE contact_id IN (" + Contacts.placeholders(chunk) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        members.add(new Keyed(rows.getLong(1), new UserKey(rows.getString(2), rows.getString(3)),
                                rows.getString(4), rows.getString(5)));
                    }
                }
            }
            Map<UserKey, Profile> profiles = profiles(members.stream().map(Keyed::user).filter(u -> !written.containsKey(u)).toList());
            Map<Long, List<Survivorship.Candidate>> byContact = new java.util.TreeMap<>();
            for (Keyed member : members) {
                CanonicalUser row = written.get(member.user());
                Profile profile = row != null ? Profile.of(row) : profiles.get(member.user());
                byContact.computeIfAbsent(member.contact(), id -> new ArrayList<>()).add(profile.of(member));
            }
            Map<Long, Contact> computed = new LinkedHashMap<>();
            byContact.forEach((id, candidates) -> computed.put(id, survivorship.contact(candidates)));
            write(computed);
        }
    }

    /** The named users' profiles, read by key. */
    private Map<UserKey, Profile> profiles(List<UserKey> users) throws SQLException {
        Map<UserKey, Profile> profiles = new HashMap<>();
        for (int from = 0; from < users.size(); from += CHUNK) {
            List<UserKey> chunk = users.subList(from, Math.min(users.size(), from + CHUNK));
            try (PreparedStatement select = connection.prepareStatement("SELECT source, external_id, first_name, last_name,"
                    + " display_name, locale, created_at, updated_at FROM crm_user WHERE (source, external_id) IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?)")) + ")")) {
                int i = 1;
                for (UserKey user : chunk) {
                    select.setString(i++, user.source());
                    select.setString(i++, user.externalId());
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        profiles.put(new UserKey(rows.getString(1), rows.getString(2)), new Profile(rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getString(6), rows.getObject(7, OffsetDateTime.class),
                                rows.getObject(8, OffsetDateTime.class)));
                    }
                }
            }
        }
        return profiles;
    }

    /** Brings every contact with members in line with them (a rebuild). */
    void refreshAll() throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(MEMBERS + " ORDER BY m.contact_id")) {
            select.setFetchSize(CHUNK);
            stream(select);
        }
    }

    /** Marks contacts merged into the one that kept their oldest member. */
    void merged(Map<Long, Long> mergedInto) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE contact SET deleted = TRUE, merged_into = ?, "
                + "member_count = 0, changed_at = ? WHERE id = ? AND merged_into IS NULL")) {
            for (Map.Entry<Long, Long> merge : mergedInto.entrySet()) {
                update.setLong(1, merge.getValue());
                update.setObject(2, now);
                update.setLong(3, merge.getKey());
                if (update.executeUpdate() > 0) {
                    events.add(merge.getKey(), "merged");
                    written++;
                }
            }
        }
        events.flush();
    }

    /** Marks deleted the contacts among these (all when null) that have no member left and are not yet deleted. */
    void retireEmpty(Collection<Long> candidates) throws SQLException {
        String empty = "NOT deleted AND NOT EXISTS (SELECT 1 FROM contact_member m WHERE m.contact_id = contact.id)";
        List<Long> retired = new ArrayList<>();
        if (candidates == null) {
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM contact WHERE " + empty + " ORDER BY id");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    retired.add(rows.getLong(1));
                }
            }
        } else {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM contact WHERE id = ? AND " + empty)) {
                for (long id : candidates) {
                    select.setLong(1, id);
                    try (ResultSet rows = select.executeQuery()) {
                        if (rows.next()) {
                            retired.add(id);
                        }
                    }
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE contact SET deleted = TRUE, member_count = 0, changed_at = ? WHERE id = ?")) {
            for (long id : retired) {
                update.setObject(1, now);
                update.setLong(2, id);
                update.addBatch();
                events.add(id, "deleted");
                written++;
            }
            update.executeBatch();
        }
        events.flush();
    }

    private void stream(PreparedStatement select) throws SQLException {
        Map<Long, Contact> computed = new LinkedHashMap<>();
        try (ResultSet rows = select.executeQuery()) {
            long current = 0;
            List<Survivorship.Candidate> members = new ArrayList<>();
            while (rows.next()) {
                long id = rows.getLong(1);
                if (id != current && !members.isEmpty()) {
                    computed.put(current, survivorship.contact(members));
                    members = new ArrayList<>();
                    if (computed.size() >= CHUNK) {
                        write(computed);
                        computed.clear();
                    }
                }
                current = id;
                members.add(new Survivorship.Candidate(rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9),
                        rows.getObject(10, OffsetDateTime.class), rows.getObject(11, OffsetDateTime.class)));
            }
            if (!members.isEmpty()) {
                computed.put(current, survivorship.contact(members));
            }
        }
        write(computed);
    }

    private void write(Map<Long, Contact> computed) throws SQLException {
        if (computed.isEmpty()) {
            return;
        }
        Set<Long> existing = new HashSet<>();
        Map<Long, Contact> stored = stored(computed.keySet(), existing);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO contact (email, phone, first_name, "
                + "last_name, display_name, locale, created_at, updated_at, member_count, field_sources, changed_at, deleted, id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)");
             PreparedStatement update = connection.prepareStatement("UPDATE contact SET email = ?, phone = ?, first_name = ?, "
                     + "last_name = ?, display_name = ?, locale = ?, created_at = ?, updated_at = ?, member_count = ?, "
                     + "field_sources = ?, changed_at = ?, deleted = FALSE, merged_into = NULL WHERE id = ?")) {
            for (Map.Entry<Long, Contact> entry : computed.entrySet()) {
                Contact contact = entry.getValue();
                Contact before = stored.get(entry.getKey());
                if (contact.equals(before)) {
                    continue;
                }
                PreparedStatement statement = existing.contains(entry.getKey()) ? update : insert;
                contact.bind(statement, JSON);
                statement.setObject(11, now);
                statement.setLong(12, entry.getKey());
                statement.addBatch();
                events.add(entry.getKey(), existing.contains(entry.getKey()) ? "updated" : "inserted");
                written++;
            }
            insert.executeBatch();
            update.executeBatch();
        }
        events.flush();
    }

    /**
     * The stored rows of these contacts that are live (a deleted or merged row never equals a computed one).
     *
     * @param existing gets the id of every stored row, live or not
     */
    private Map<Long, Contact> stored(Collection<Long> ids, Set<Long> existing) throws SQLException {
        Map<Long, Contact> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, email, phone, first_name, last_name, "
                + "display_name, locale, created_at, updated_at, member_count, field_sources, deleted, merged_into "
                + "FROM contact WHERE id IN (" + Contacts.placeholders(ids) + ")")) {
            int i = 1;
            for (long id : ids) {
                select.setLong(i++, id);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getLong(1));
                    if (!rows.getBoolean(12) && rows.getObject(13) == null) {
                        stored.put(rows.getLong(1), Contact.read(rows, JSON));
                    }
                }
            }
        }
        return stored;
    }

    /** The outbox of contacts: a contact_change row per write, in the transaction (and under the lock) of the write. */
    private static final class ContactEvents {
        private final Connection connection;
        private final OffsetDateTime now;
        private final List<Object[]> pending = new ArrayList<>();

        ContactEvents(Connection connection, OffsetDateTime now) {
            this.connection = connection;
            this.now = now;
        }

        void add(long contact, String kind) {
            pending.add(new Object[] {contact, kind});
        }

        void flush() throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO contact_change (contact_id, kind, changed_at) VALUES (?, ?, ?)")) {
                for (Object[] event : pending) {
                    insert.setLong(1, (Long) event[0]);
                    insert.setString(2, (String) event[1]);
                    insert.setObject(3, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            pending.clear();
        }
    }

    /** A contact's computed content; equal when nothing about it changed. */
    record Contact(String email, String phone, String firstName, String lastName, String displayName, String locale,
                   OffsetDateTime createdAt, OffsetDateTime updatedAt, int memberCount, Map<String, String> fieldSources) {

        void bind(PreparedStatement statement, ObjectMapper json) throws SQLException {
            statement.setString(1, email);
            statement.setString(2, phone);
            statement.setString(3, firstName);
            statement.setString(4, lastName);
            statement.setString(5, displayName);
            statement.setString(6, locale);
            setTime(statement, 7, createdAt);
            setTime(statement, 8, updatedAt);
            statement.setInt(9, memberCount);
            try {
                statement.setString(10, json.writeValueAsString(fieldSources));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Contact read(ResultSet rows, ObjectMapper json) throws SQLException {
            Map<String, String> sources;
            try {
                sources = json.readValue(rows.getString(11),
                        json.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, String.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                sources = Map.of(); // never written by hand; a damaged value makes the row compare unequal and rewritten
            }
            return new Contact(rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
                    rows.getString(7), utc(rows.getObject(8, OffsetDateTime.class)), utc(rows.getObject(9, OffsetDateTime.class)),
                    rows.getInt(10), sources);
        }

        private static void setTime(PreparedStatement statement, int index, OffsetDateTime value) throws SQLException {
            if (value == null) {
                statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(index, value);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Contact that && Objects.equals(email, that.email) && Objects.equals(phone, that.phone)
                    && Objects.equals(firstName, that.firstName) && Objects.equals(lastName, that.lastName)
                    && Objects.equals(displayName, that.displayName) && Objects.equals(locale, that.locale)
                    && sameInstant(createdAt, that.createdAt) && sameInstant(updatedAt, that.updatedAt)
                    && memberCount == that.memberCount && fieldSources.equals(that.fieldSources);
        }

        @Override
        public int hashCode() {
            return Objects.hash(email, phone, firstName, lastName, displayName, locale, memberCount);
        }

        private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
            return a == null ? b == null : b != null && a.toInstant().equals(b.toInstant());
        }
    }

    static OffsetDateTime utc(OffsetDateTime value) {
        return value == null ? null : value.withOffsetSameInstant(java.time.ZoneOffset.UTC);
    }
}
