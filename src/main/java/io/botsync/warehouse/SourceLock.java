package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A source's single-flight lock, held on a connection kept for this purpose: on PostgreSQL a session advisory lock,
 * on H2 the row of {@code sync_lock} locked by an open transaction. Closing releases it; so does the death of the
 * process, with its connection.
 */
public final class SourceLock implements AutoCloseable {

    /** For closing the connection of a lock that was not taken: there is no place among the holders to give back. */
    static final Runnable NOT_HELD = () -> { };
    /** How long {@link #held} waits for the database to answer: past it, the lock counts as lost. */
    private static final int CHECK_SECONDS = 10;

    private final Connection connection;
    private final String unlock;
    private final String source;
    private final Runnable released;

    /**
     * @param unlock   the statement that releases an advisory lock, or null for a row lock (released by rollback)
     * @param released run once the connection is closed: gives the holder's place back
     */
    SourceLock(Connection connection, String unlock, String source, Runnable released) {
        this.connection = connection;
        this.unlock = unlock;
        this.source = source;
        this.released = released;
    }

    /**
     * Whether the lock is still held: whether its connection still answers. The database drops the lock with the
     * connection (the warehouse went away, or the network to it), and another process may then take it; a run that
     * lost its lock must commit no more pages.
     */
    public boolean held() {
        try {
            return connection.isValid(CHECK_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try (connection) {
            if (unlock != null) {
                try (PreparedStatement release = connection.prepareStatement(unlock)) {
                    release.setString(1, source);
                    release.execute();
                }
            } else {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // the connection is gone, and the lock with it
        } finally {
            released.run();
        }
    }
}
