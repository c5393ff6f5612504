package io.botsync.push;

import io.botsync.model.CanonicalUser;
import io.botsync.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The push's tables in the warehouse: reading the outbox ({@code user_change}) after a target's position,
 * advancing the position ({@code push_position}), parking ({@code push_parked}) and the links to platform users
 * ({@code push_link}). Each method is its own short transaction; none is held open across an HTTP call.
 */
final class PushStore {

    private final Warehouse warehouse;

    PushStore(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    /** The last change id the target has had (delivered, passed over or parked); 0 before its first push. */
    long position(String target) {
        return warehouse.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT change_id FROM push_position WHERE target = ?")) {
                select.setString(1, target);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    /** Up to {@code limit} changes after {@code position}, in change id (commit) order, with each user's current row. */
    List<PushChange> after(long position, int limit) {
        return warehouse.inTransaction(connection -> {
            List<PushChange> changes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT c.id, c.kind, c.content_hash, c.source, c.external_id, u.email, u.phone, u.first_name, u.last_name,
                           u.display_name, u.user_type, u.locale, u.created_at, u.updated_at, u.attributes, u.content_hash, u.deleted
                    FROM user_change c JOIN crm_user u ON u.source = c.source AND u.external_id = c.external_id
                    WHERE c.id > ? ORDER BY c.id LIMIT ?""")) {
                select.setLong(1, position);
                select.setInt(2, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        CanonicalUser user = new CanonicalUser(rows.getString(4), rows.getString(5), rows.getString(6),
                                rows.getString(7), rows.getString(8), rows.getString(9), rows.getString(10), rows.getString(11),
                                rows.getString(12), instant(rows, 13), instant(rows, 14), rows.getString(15), rows.getString(16));
                        String kind = rows.getString(2);
                        boolean deleted = rows.getBoolean(17);
                        boolean superseded = !rows.getString(3).equals(user.contentHash()) || deleted != kind.equals("deleted");
                        changes.add(new PushChange(rows.getLong(1), kind, user, deleted, superseded));
                    }
                }
            }
            return changes;
        });
    }

    /** The target has had every change up to {@code changeId}. */
    void advance(String target, long changeId) {
        warehouse.inTransaction(connection -> {
            setPosition(connection, target, changeId);
            return null;
        });
    }

    /** Parks a change the target keeps refusing and moves past it, in one transaction. */
    void park(String target, PushChange change, int attempts, String reason) {
        warehouse.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO push_parked (target, change_id, source, external_id, attempts, reason, parked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, target);
                insert.setLong(2, change.id());
                insert.setString(3, change.user().source());
                insert.setString(4, change.user().externalId());
                insert.setInt(5, attempts);
                insert.setString(6, reason.length() <= 1000 ? reason : reason.substring(0, 1000));
                insert.setObject(7, now());
                insert.executeUpdate();
            }
            setPosition(connection, target, change.id());
            return null;
        });
    }

    /** The platform id a warehouse user became on a target, if it was pushed there before. */
    Optional<String> link(String target, CanonicalUser user) {
        return warehouse.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT target_id FROM push_link WHERE target = ? AND source = ? AND external_id = ?")) {
                select.setString(1, target);
                select.setString(2, user.source());
                select.setString(3, user.externalId());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Remembers that the user is {@code targetId} on the target, right after the platform said so. */
    void saveLink(String target, CanonicalUser user, String targetId) {
        warehouse.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM push_link WHERE target = ? AND source = ? AND external_id = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO push_link (target, source, external_id, target_id, linked_at) VALUES (?, ?, ?, ?, ?)")) {
                delete.setString(1, target);
                delete.setString(2, user.source());
                delete.setString(3, user.externalId());
                delete.executeUpdate();
                insert.setString(1, target);
                insert.setString(2, user.source());
                insert.setString(3, user.externalId());
                insert.setString(4, targetId);
                insert.setObject(5, now());
                insert.executeUpdate();
            }
            return null;
        });
    }

    private static void setPosition(Connection connection, String target, long changeId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE push_position SET change_id = ?, updated_at = ? WHERE target = ?")) {
            update.setLong(1, changeId);
            update.setObject(2, now());
            update.setString(3, target);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO push_position (target, change_id, updated_at) VALUES (?, ?, ?)")) {
            insert.setString(1, target);
            insert.setLong(2, changeId);
            insert.setObject(3, now());
            insert.executeUpdate();
        }
    }

    private static java.time.Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
