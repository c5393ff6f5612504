package io.botsync.warehouse;

import java.sql.SQLException;
import java.util.Set;

/**
 * The warehouse does not answer: the connection was refused, dropped or timed out, or the server is shutting down or
 * not yet up. Not a configuration error: the same command succeeds once the database is back. The message names the
 * database (never its password).
 */
public final class WarehouseUnreachableException extends WarehouseException {

    /** PostgreSQL's states of a server going down or not yet up: admin_shutdown, crash_shutdown, cannot_connect_now. */
    private static final Set<String> SERVER_AWAY = Set.of("57P01", "57P02", "57P03");

    WarehouseUnreachableException(String shownUrl, Throwable cause) {
        super("warehouse " + shownUrl + " is unreachable: " + Warehouse.rootMessage(cause), cause);
    }

    /** Whether a failure is the database being away: SQLSTATE class 08 (connection exception) or the server's going. */
    static boolean isUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_AWAY.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
