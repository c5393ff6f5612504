package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * A rehearsal of one source's run: every page's transaction runs for real on one connection, the changes it made
 * are listed, and {@link #close()} rolls all of it back. Nothing that draws an identity value is inserted, so the
 * database is left exactly as it was. The pages of one run share a transaction, so a full scan's bookkeeping
 * ({@code scan_seen}, {@code scan_unseen}, the ranges covered) carries from page to page as in a real run. Used by one thread at a time.
 */
public final class DryRun implements AutoCloseable {

    /** One row the run would write: {@code insert}, {@code update} or {@code delete} (flagged deleted). */
    public record Change(String action, String externalId) {
    }

    private final Connection connection;
    private final Dialect dialect;
    private final boolean idsInJavaOrder;
    /** Every row the rehearsal touches is stamped with this instant, which is how {@link #changes} finds them. */
    private final OffsetDateTime stamp = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);

    /** The mass-delete gate of the run rehearsed (null: none), applied as the run would apply it. */
    private final Double maxDeleteShare;

    DryRun(Connection connection, Dialect dialect, boolean idsInJavaOrder, Double maxDeleteShare) throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        this.idsInJavaOrder = idsInJavaOrder;
        this.maxDeleteShare = maxDeleteShare;
        connection.setAutoCommit(false);
    }

    public PageCounts write(PageWrite page) {
        return rehearse(connection -> new PageTransaction(connection, dialect, idsInJavaOrder, stamp, maxDeleteShare).write(page));
    }

    /** What {@link Warehouse#startScan} would do, inside the rehearsal. */
    public boolean startScan(String source) {
        return rehearse(connection -> ScanStart.begin(connection, dialect, source, stamp));
    }

    /** What {@link Warehouse#scanStartedEmpty} answers. */
    public boolean scanStartedEmpty(String source) {
        return rehearse(connection -> ScanStart.fromEmpty(connection, source));
    }

    /** Runs the work in the rehearsal's transaction, which stays open. */
    private <T> T rehearse(Warehouse.Work<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new WarehouseException("warehouse error: " + e.getMessage(), e);
        }
    }

    /** The users of a source the rehearsal inserted, updated or flagged deleted, by id. */
    public void changes(String source, Consumer<Change> each) {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT external_id, first_synced_at = last_synced_at, deleted FROM crm_user
                WHERE source = ? AND last_synced_at = ? ORDER BY external_id""")) {
            select.setString(1, source);
            select.setObject(2, stamp);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String action = rows.getBoolean(3) ? "delete" : rows.getBoolean(2) ? "insert" : "update";
                    each.accept(new Change(action, rows.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new WarehouseException("warehouse error: " + e.getMessage(), e);
        }
    }

    /** Rolls everything back. */
    @Override
    public void close() {
        try (connection) {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new WarehouseException("warehouse error: " + e.getMessage(), e);
        }
    }
}
