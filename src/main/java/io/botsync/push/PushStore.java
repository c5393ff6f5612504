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
import java.util.OptionalLong;

/**
 * The push's tables in the warehouse: reading the outbox ({@code user_change}) after a target's position,
 * advancing the position ({@code push_position}), parking ({@code push_parked}) and the links to platform users
 * ({@code push_link}). Each method is its own short transaction; none is held open across an HTTP call.
 */
final class PushStore {

    private final Warehouse warehouse;
    private final ContactFeed contacts;

    PushStore(Warehouse warehouse) {
        this.warehouse = warehouse;
        this.contacts = new ContactFeed(warehouse);
    }

    /** The feed a target's position counts in; empty before its first round. */
    java.util.Optional<Feed> feed(String target) {
        return warehouse.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT feed FROM push_position WHERE target = ?")) {
                select.setString(1, target);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? java.util.Optional.of(Feed.of(rows.getString(1))) : java.util.Optional.<Feed>empty();
                }
            }
        });
    }

    /** The last change id the target has had (delivered, passed over or parked); empty before its first round. */
    OptionalLong position(String target) {
        return warehouse.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT change_id FROM push_position WHERE target = ?")) {
                select.setString(1, target);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    /** The newest change id of a feed, 0 when there is none: where a target that starts {@code from=now} begins. */
    long head(Feed feed) {
        return warehouse.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT MAX(id) FROM " + feed.table);
                 ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    /** The state of every target that has a position, by name. */
    List<TargetState> states() {
        return warehouse.inTransaction(connection -> {
            List<TargetState> states = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT p.target, p.change_id, CASE WHEN p.feed = 'contacts'
                               THEN (SELECT COALESCE(MAX(id), 0) FROM contact_change) ELSE (SELECT COALESCE(MAX(id), 0) FROM user_change) END,
                           (SELECT COUNT(*) FROM push_parked k WHERE k.target = p.target), p.updated_at,
                           CASE WHEN p.feed = 'contacts'
                               THEN (SELECT c.changed_at FROM contact_change c WHERE c.id > p.change_id ORDER BY c.id LIMIT 1)
                               ELSE (SELECT u.changed_at FROM user_change u WHERE u.id > p.change_id ORDER BY u.id LIMIT 1) END
                    FROM push_position p ORDER BY p.target""");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    states.add(new TargetState(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                            instant(rows, 5), instant(rows, 6)));
                }
            }
            return states;
        });
    }

    /**
     * Deletes outbox rows of each feed that every target reading it has passed and that are older than {@code before};
     * rows a target parked stay (a retry reads their kind). Leaves a feed alone while one of its targets has no
     * position yet.
     *
     * @return the rows deleted
     */
    int prune(java.util.Map<String, Feed> targets, java.time.Instant before) {
        return warehouse.inTransaction(connection -> {
            java.util.Map<String, Long> positions = new java.util.HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT target, change_id FROM push_position");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    positions.put(rows.getString(1), rows.getLong(2));
                }
            }
            int deleted = 0;
            for (Feed feed : Feed.values()) {
                List<String> readers = targets.entrySet().stream().filter(e -> e.getValue() == feed).map(java.util.Map.Entry::getKey).toList();
                if (readers.isEmpty() || !positions.keySet().containsAll(readers)) {
                    continue;
                }
                long passedByAll = readers.stream().mapToLong(positions::get).min().orElseThrow();
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + feed.table
                        + " WHERE id <= ? AND changed_at < ? AND NOT EXISTS (SELECT 1 FROM push_parked p WHERE p.change_id = "
                        + feed.table + ".id)")) {
                    delete.setLong(1, passedByAll);
                    delete.setObject(2, before.atOffset(ZoneOffset.UTC));
                    deleted += delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    /**
     * Up to {@code limit} changes after {@code position}, in change id (commit) order, with each user's (or contact's)
     * current row.
     */
    List<PushChange> after(Feed feed, long position, int limit) {
        if (feed == Feed.CONTACTS) {
            return contacts.after(position, limit);
        }
        return changes("""
                SELECT c.id, c.kind, c.content_hash, %s
                FROM user_change c JOIN crm_user u ON u.source = c.source AND u.external_id = c.external_id
                WHERE c.id > ? ORDER BY c.id LIMIT ?""".formatted(USER_COLUMNS), select -> {
            select.setLong(1, position);
            select.setInt(2, limit);
        });
    }

    /**
     * Up to {@code limit} of the target's parked changes after {@code changeId}, in order, each with its user's current
     * row (never superseded: the user as it is now is what a retry delivers). A change whose outbox row is gone says
     * what the user is now: {@code updated}, or {@code deleted}.
     */
    List<PushChange> parked(Feed feed, String target, long changeId, int limit) {
        if (feed == Feed.CONTACTS) {
            return contacts.parked(target, changeId, limit);
        }
        return changes("""
                SELECT p.change_id, COALESCE(c.kind, CASE WHEN u.deleted THEN 'deleted' ELSE 'updated' END), u.content_hash, %s
                FROM push_parked p JOIN crm_user u ON u.source = p.source AND u.external_id = p.external_id
                LEFT JOIN user_change c ON c.id = p.change_id
                WHERE p.target = ? AND p.change_id > ? ORDER BY p.change_id LIMIT ?""".formatted(USER_COLUMNS), select -> {
            select.setString(1, target);
            select.setLong(2, changeId);
            select.setInt(3, limit);
        });
    }

    /** The user's columns every change query reads, after the change's id, kind and content hash. */
    private static final String USER_COLUMNS = "u.source, u.external_id, u.email, u.phone, u.first_name, u.last_name,"
            + " u.display_name, u.user_type, u.locale, u.created_at, u.updated_at, u.attributes, u.content_hash, u.deleted";

    private interface Parameters {
        void set(PreparedStatement select) throws SQLException;
    }

    private List<PushChange> changes(String sql, Parameters parameters) {
        return warehouse.inTransaction(connection -> {
            List<PushChange> changes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                parameters.set(select);
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
        start(target, null, changeId);
    }

    /** A target's first position, in the feed it reads (null: a target that has one). */
    void start(String target, Feed feed, long changeId) {
        warehouse.inTransaction(connection -> {
            setPosition(connection, target, feed, changeId);
            return null;
        });
    }

    /**
     * Parks changes the target refused, with its answer; a change parked before counts one more refused attempt.
     *
     * @param attempts the deliveries this time (Camel's redeliveries included)
     */
    void park(String target, List<PushChange> changes, int attempts, String reason) {
        String cut = reason.length() <= 1000 ? reason : reason.substring(0, 1000);
        warehouse.inTransaction(connection -> {
            try (PreparedStatement again = connection.prepareStatement(
                    "UPDATE push_parked SET attempts = attempts + ?, reason = ?, parked_at = ? WHERE target = ? AND change_id = ?");
                 PreparedStatement insert = connection.prepareStatement("""
                         INSERT INTO push_parked (target, change_id, source, external_id, attempts, reason, parked_at)
                         VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                for (PushChange change : changes) {
                    again.setInt(1, attempts);
                    again.setString(2, cut);
                    again.setObject(3, now());
                    again.setString(4, target);
                    again.setLong(5, change.id());
                    if (again.executeUpdate() == 0) {
                        insert.setString(1, target);
                        insert.setLong(2, change.id());
                        insert.setString(3, change.user().source());
                        insert.setString(4, change.user().externalId());
                        insert.setInt(5, attempts);
                        insert.setString(6, cut);
                        insert.setObject(7, now());
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    /** Forgets parked changes the target has now taken. */
    void unpark(String target, List<PushChange> changes) {
        warehouse.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM push_parked WHERE target = ? AND change_id = ?")) {
                for (PushChange change : changes) {
                    delete.setString(1, target);
                    delete.setLong(2, change.id());
                    delete.addBatch();
                }
                delete.executeBatch();
            }
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

    private static void setPosition(Connection connection, String target, Feed feed, long changeId) throws SQLException {
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
                "INSERT INTO push_position (target, change_id, updated_at, feed) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, target);
            insert.setLong(2, changeId);
            insert.setObject(3, now());
            insert.setString(4, (feed == null ? Feed.USERS : feed).optionValue());
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
