package io.botsync.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Writes contact_member rows in batches: an INSERT for a user that had none, an UPDATE for one that had. */
final class MemberRows implements AutoCloseable {

    /** Rows a batch holds before it is sent: a rebuild writes every member. */
    private static final int BATCH = 5000;

    private final PreparedStatement insert;
    private final PreparedStatement update;
    private int pending;
    private long written;

    MemberRows(Connection connection) throws SQLException {
        insert = connection.prepareStatement("INSERT INTO contact_member (contact_id, matched_on, joined_at, email_key, "
                + "phone_key, source, external_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
        update = connection.prepareStatement("UPDATE contact_member SET contact_id = ?, matched_on = ?, joined_at = ?, "
                + "email_key = ?, phone_key = ? WHERE source = ? AND external_id = ?");
    }

    /** @param stored whether the user has a row already */
    void write(boolean stored, String source, String externalId, long contact, String matchedOn, OffsetDateTime joinedAt,
               String emailKey, String phoneKey) throws SQLException {
        PreparedStatement statement = stored ? update : insert;
        statement.setLong(1, contact);
        statement.setString(2, matchedOn);
        statement.setObject(3, joinedAt);
        statement.setString(4, emailKey);
        statement.setString(5, phoneKey);
        statement.setString(6, source);
        statement.setString(7, externalId);
        statement.addBatch();
        written++;
        if (++pending >= BATCH) {
            flush();
        }
    }

    long written() {
        return written;
    }

    private void flush() throws SQLException {
        insert.executeBatch();
        update.executeBatch();
        pending = 0;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (pending > 0) {
                flush();
            }
        } finally {
            insert.close();
            update.close();
        }
    }
}
