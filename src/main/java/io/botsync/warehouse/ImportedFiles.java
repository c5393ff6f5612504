package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import javax.sql.DataSource;

/** The files {@code import} loaded completely ({@code imported_file}), known by the SHA-256 of their content. */
public final class ImportedFiles {

    private final DataSource dataSource;

    public ImportedFiles(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The run that imported this content into this source, if one did. */
    public OptionalLong importedBy(String source, String sha256) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT run_id FROM imported_file WHERE source = ? AND sha256 = ?")) {
            select.setString(1, source);
            select.setString(2, sha256);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new WarehouseException("warehouse error: " + e.getMessage(), e);
        }
    }

    /** Remembers the file as imported by the source's latest import run: the caller's, which holds the source. */
    public void recordLastImport(String source, String sha256, String fileName) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO imported_file (source, sha256, file_name, run_id, imported_at)"
                     + " SELECT ?, ?, ?, MAX(id), ? FROM sync_run WHERE source = ? AND mode = 'import'")) {
            insert.setString(1, source);
            insert.setString(2, sha256);
            insert.setString(3, fileName.length() <= 1000 ? fileName : fileName.substring(fileName.length() - 1000));
            insert.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            insert.setString(5, source);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new WarehouseException("warehouse error: " + e.getMessage(), e);
        }
    }
}
