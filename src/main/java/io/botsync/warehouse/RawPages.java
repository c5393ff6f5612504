package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The landed pages ({@code raw_page}): read back one at a time for a replay, and pruned past their retention.
 */
public final class RawPages {

    /** Which landed pages of a source to replay: those of one run, or those fetched in [from, to). */
    public record Selection(String source, Long runId, Instant from, Instant to) {
    }

    /** One landed page: its id (the replay's position) and its content. */
    public record Landed(long id, long runId, RawPage page) {
    }

    private final DataSource dataSource;

    public RawPages(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The first landed page of the selection after {@code afterId}, in landing order; one page in memory at a time. */
    public Optional<Landed> next(Selection selection, long afterId) {
        String sql = "SELECT id, run_id, request, fetched_at, records, payload FROM raw_page WHERE source = ? AND id > ?"
                + (selection.runId() != null ? " AND run_id = ?" : "")
                + (selection.from() != null ? " AND fetched_at >= ?" : "")
                + (selection.to() != null ? " AND fetched_at < ?" : "")
                + " ORDER BY id FETCH FIRST 1 ROWS ONLY";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            select.setString(i++, selection.source());
            select.setLong(i++, afterId);
            if (selection.runId() != null) {
                select.setLong(i++, selection.runId());
            }
            if (selection.from() != null) {
                select.setObject(i++, selection.from().atOffset(ZoneOffset.UTC));
            }
            if (selection.to() != null) {
                select.setObject(i, selection.to().atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Landed(rows.getLong(1), rows.getLong(2), new RawPage(rows.getString(3),
                        rows.getObject(4, OffsetDateTime.class).toInstant(), rows.getInt(5), rows.getBytes(6))));
            }
        } catch (SQLException e) {
            throw new WarehouseException("warehouse error: " + e.getMessage(), e);
        }
    }

    /** Deletes the pages fetched before {@code before}; gives how many. */
    public int prune(Instant before) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM raw_page WHERE fetched_at < ?")) {
            delete.setObject(1, before.atOffset(ZoneOffset.UTC));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new WarehouseException("warehouse error: " + e.getMessage(), e);
        }
    }
}
