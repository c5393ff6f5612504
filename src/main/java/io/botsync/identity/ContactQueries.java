package io.botsync.identity;

import io.botsync.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What ops read about contacts: counts for status and metrics, one contact with its members for {@code contacts show}. */
public final class ContactQueries {

    private final Warehouse warehouse;
    private final Keys keys;

    public ContactQueries(Warehouse warehouse, IdentitySettings settings) {
        this.warehouse = warehouse;
        this.keys = new Keys(settings);
    }

    /**
     * Live contacts, their members, contacts that were merged into another or lost every member, and live contacts
     * whose members come from more than one source.
     */
    public record Counts(long live, long members, long merged, long deleted, long acrossSources) {
    }

    public Counts counts() {
        return warehouse.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT COUNT(CASE WHEN NOT deleted THEN 1 END), COALESCE(SUM(member_count), 0),
                           COUNT(merged_into), COUNT(CASE WHEN deleted AND merged_into IS NULL THEN 1 END),
                           (SELECT COUNT(*) FROM (SELECT contact_id FROM contact_member GROUP BY contact_id
                                                  HAVING COUNT(DISTINCT source) > 1) across)
                    FROM contact""");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                return new Counts(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5));
            }
        });
    }

    /** A member of a contact as {@code contacts show} lists it. */
    public record Member(String source, String externalId, String matchedOn, OffsetDateTime joinedAt, String email, String phone) {
    }

    /** A contact with its members; {@code fieldSources} names the member each field came from. */
    public record Contact(long id, String email, String phone, String firstName, String lastName, String displayName,
                          String locale, OffsetDateTime createdAt, OffsetDateTime updatedAt, boolean deleted, Long mergedInto,
                          int memberCount, String fieldSources, List<Member> members) {
    }

    /**
     * The contact an email, a phone (read with the default region) or an id names: a live contact one of whose
     * members has that email or phone, else the contact with that id (live or not).
     */
    public Optional<Contact> find(String query) {
        String wanted = query.strip();
        return warehouse.inTransaction(connection -> {
            Long id = null;
            String email = Keys.email(wanted);
            if (email != null) {
                id = contactHolding(connection, "email_key", email);
            } else {
                String phone = keys.phone(wanted);
                if (wanted.matches("\\d+")) {
                    id = exists(connection, Long.parseLong(wanted)) ? Long.valueOf(wanted) : null;
                }
                if (id == null && phone != null) {
                    id = contactHolding(connection, "phone_key", phone);
                }
            }
            return id == null ? Optional.empty() : Optional.of(contact(connection, id));
        });
    }

    private static Long contactHolding(Connection connection, String column, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT MIN(contact_id) FROM contact_member WHERE " + column + " = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long id = rows.getLong(1);
                return rows.wasNull() ? null : id;
            }
        }
    }

    private static boolean exists(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM contact WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Contact contact(Connection connection, long id) throws SQLException {
        List<Member> members = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT source, external_id, matched_on, joined_at, "
                + "email_key, phone_key FROM contact_member WHERE contact_id = ? ORDER BY joined_at, source, external_id")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.add(new Member(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getObject(4, OffsetDateTime.class), rows.getString(5), rows.getString(6)));
                }
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT email, phone, first_name, last_name, display_name, "
                + "locale, created_at, updated_at, deleted, merged_into, member_count, field_sources FROM contact WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long merged = rows.getLong(10);
                Long mergedInto = rows.wasNull() ? null : merged;
                return new Contact(id, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getObject(7, OffsetDateTime.class),
                        rows.getObject(8, OffsetDateTime.class), rows.getBoolean(9), mergedInto, rows.getInt(11),
                        rows.getString(12), members);
            }
        }
    }
}
