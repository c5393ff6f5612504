package io.botsync.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.CanonicalUser;
import io.botsync.model.UserJson;
import io.botsync.warehouse.Warehouse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contacts' outbox ({@code contact_change}) as pushes read it. A contact goes out in the shape of a user change,
 * so outbound mappings and receivers read both alike: {@code source} is {@code contact}, {@code external_id} the
 * contact's id, the fields are the contact's, and {@code attributes} holds {@code member_count}, {@code merged_into},
 * {@code members} ({@code source/external_id} each) and {@code field_sources}.
 */
final class ContactFeed {

    static final String SOURCE = "contact";

    private static final String CONTACT_COLUMNS = "k.id, k.email, k.phone, k.first_name, k.last_name, k.display_name, k.locale,"
            + " k.created_at, k.updated_at, k.deleted, k.merged_into, k.member_count, k.field_sources";

    private final Warehouse warehouse;

    ContactFeed(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    /**
     * Up to {@code limit} contact changes after {@code position}, each with its contact as it is now; a change with a
     * later one of the same contact is superseded.
     */
    List<PushChange> after(long position, int limit) {
        return read("""
                SELECT c.id, c.kind, CASE WHEN EXISTS (SELECT 1 FROM contact_change l WHERE l.contact_id = c.contact_id
                                                       AND l.id > c.id) THEN 1 ELSE 0 END, %s
                FROM contact_change c JOIN contact k ON k.id = c.contact_id
                WHERE c.id > ? ORDER BY c.id LIMIT ?""".formatted(CONTACT_COLUMNS), select -> {
            select.setLong(1, position);
            select.setInt(2, limit);
        });
    }

    /** The target's parked contact changes after {@code changeId}, each with its contact as it is now. */
    List<PushChange> parked(String target, long changeId, int limit) {
        return read("""
                SELECT p.change_id, COALESCE(c.kind, CASE WHEN k.deleted THEN 'deleted' ELSE 'updated' END), 0, %s
                FROM push_parked p JOIN contact k ON k.id = CAST(p.external_id AS bigint)
                LEFT JOIN contact_change c ON c.id = p.change_id
                WHERE p.target = ? AND p.source = 'contact' AND p.change_id > ? ORDER BY p.change_id LIMIT ?"""
                .formatted(CONTACT_COLUMNS), select -> {
            select.setString(1, target);
            select.setLong(2, changeId);
            select.setInt(3, limit);
        });
    }

    private interface Parameters {
        void set(PreparedStatement select) throws SQLException;
    }

    /** One contact change as read, before its members are known. */
    private record Read(long changeId, String kind, boolean superseded, long contact, String email, String phone,
                        String firstName, String lastName, String displayName, String locale, OffsetDateTime createdAt,
                        OffsetDateTime updatedAt, boolean deleted, Long mergedInto, int memberCount, String fieldSources) {

        PushChange change(List<String> members) {
            CanonicalUser user = new CanonicalUser(SOURCE, String.valueOf(contact), email, phone, firstName, lastName,
                    displayName, null, locale, instant(createdAt), instant(updatedAt), attributes(members), null);
            return new PushChange(changeId, kind, user, deleted, superseded);
        }

        private String attributes(List<String> members) {
            ObjectNode attributes = UserJson.JSON.createObjectNode();
            attributes.put("member_count", memberCount);
            if (mergedInto == null) {
                attributes.putNull("merged_into");
            } else {
                attributes.put("merged_into", mergedInto);
            }
            ArrayNode list = attributes.putArray("members");
            members.forEach(list::add);
            try {
                attributes.set("field_sources", UserJson.JSON.readTree(fieldSources));
            } catch (IOException e) {
                throw new IllegalStateException("contact.field_sources is not JSON: " + e.getMessage(), e);
            }
            return attributes.toString();
        }

        private static java.time.Instant instant(OffsetDateTime value) {
            return value == null ? null : value.toInstant();
        }
    }

    private List<PushChange> read(String sql, Parameters parameters) {
        return warehouse.inTransaction(connection -> {
            List<Read> reads = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                parameters.set(select);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long merged = rows.getLong(14);
                        Long mergedInto = rows.wasNull() ? null : merged;
                        reads.add(new Read(rows.getLong(1), rows.getString(2), rows.getInt(3) == 1, rows.getLong(4),
                                rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9),
                                rows.getString(10), rows.getObject(11, OffsetDateTime.class), rows.getObject(12, OffsetDateTime.class),
                                rows.getBoolean(13), mergedInto, rows.getInt(15), rows.getString(16)));
                    }
                }
            }
            Map<Long, List<String>> members = members(connection, reads.stream().map(Read::contact).toList());
            return reads.stream().map(read -> read.change(members.getOrDefault(read.contact(), List.of()))).toList();
        });
    }

    /** The live members of these contacts, as {@code source/external_id}, oldest first. */
    private static Map<Long, List<String>> members(Connection connection, List<Long> contacts) throws SQLException {
        Map<Long, List<String>> members = new HashMap<>();
        if (contacts.isEmpty()) {
            return members;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT contact_id, source, external_id FROM contact_member"
                + " WHERE contact_id IN (" + "?, ".repeat(contacts.size() - 1) + "?) ORDER BY joined_at, source, external_id")) {
            for (int i = 0; i < contacts.size(); i++) {
                select.setLong(i + 1, contacts.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.computeIfAbsent(rows.getLong(1), k -> new ArrayList<>()).add(rows.getString(2) + "/" + rows.getString(3));
                }
            }
        }
        return members;
    }
}
