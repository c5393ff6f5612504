package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A source's single-flight lock, held: the row of {@code sync_lock} locked by an open transaction on a connection
 * kept for this purpose. Closing releases it; so does the death of the process, with its connection.
 */
public final class SourceLock implements AutoCloseable {

    private final Connection connection;

    SourceLock(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void close() {
        try (connection) {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // the connection is gone, and the lock with it
        }
    }
}
