package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the status page and the alerts read of the past: the runs of each source ({@code sync_run}) and the rejected
 * records ({@code rejected_record}, whose payloads had their secrets removed before they were stored).
 */
public final class RunHistory {

    /** A run as {@code sync_run} holds it; {@code finishedAt} is null while it runs. */
    public record Run(long id, String source, String mode, String status, Instant startedAt, Instant finishedAt,
                      PageCounts counts, String error) {

        public boolean failed() {
            return "failed".equals(status);
        }
    }

    /** A row of {@code rejected_record}: {@code resolvedAt} is null while the record is still bad. */
    public record Rejected(String source, String externalId, String recordKey, String reason, String payload, long runId,
                           Instant createdAt, Instant lastSeen, long seenCount, Instant resolvedAt) {
    }

    private static final String RUN_COLUMNS =
            "id, source, mode, status, started_at, finished_at, fetched, inserted, updated, unchanged, deleted, rejected, error";

    private final Warehouse warehouse;

    public RunHistory(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    /** Every source that has a run, sorted. */
    public List<String> sources() {
        return warehouse.inTransaction(connection -> {
            List<String> sources = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT source FROM sync_run ORDER BY source");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sources.add(rows.getString(1));
                }
            }
            return sources;
        });
    }

    /** The source's newest runs, newest first, at most {@code limit}. */
    public List<Run> latest(String source, int limit) {
        return runs("SELECT " + RUN_COLUMNS + " FROM sync_run WHERE source = ? ORDER BY id DESC FETCH FIRST " + limit
                + " ROWS ONLY", source);
    }

    /** The source's finished runs that started at {@code from} or later, oldest first: a chart's points. */
    public List<Run> finishedSince(String source, Instant from) {
        return runs("SELECT " + RUN_COLUMNS + " FROM sync_run WHERE source = ? AND started_at >= ? AND finished_at IS NOT NULL"
                + " ORDER BY id", source, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
    }

    /** The source's newest succeeded runs, newest first, at most {@code limit}. */
    public List<Run> latestSucceeded(String source, int limit) {
        return runs("SELECT " + RUN_COLUMNS + " FROM sync_run WHERE source = ? AND status = 'succeeded' ORDER BY id DESC"
                + " FETCH FIRST " + limit + " ROWS ONLY", source);
    }

    /** The succeeded runs of the source in this mode before the run {@code beforeId}, newest first: what a run is compared with. */
    public List<Run> succeededBefore(String source, String mode, long beforeId, int limit) {
        return runs("SELECT " + RUN_COLUMNS + " FROM sync_run WHERE source = ? AND mode = ? AND status = 'succeeded' AND id < ?"
                + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY", source, mode, beforeId);
    }

    /**
     * Where the source stands: its last succeeded run, its first run, and how many of its newest finished runs failed
     * in a row (counting up to {@code upTo}; runs still going on and skipped ones are left out).
     */
    public record Standing(Run lastSuccess, Instant firstStarted, int failedInARow, Run lastFinished) {
    }

    public Standing standing(String source, int upTo) {
        // a sync's success, as status counts it: an import or a replay says nothing of the source's schedule
        List<Run> lastSuccess = runs("SELECT " + RUN_COLUMNS + " FROM sync_run WHERE source = ? AND status = 'succeeded'"
                + " AND mode IN ('incremental', 'full') ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", source);
        List<Run> first = runs("SELECT " + RUN_COLUMNS + " FROM sync_run WHERE source = ? ORDER BY id FETCH FIRST 1 ROWS ONLY",
                source);
        List<Run> finished = runs("SELECT " + RUN_COLUMNS + " FROM sync_run WHERE source = ? AND status IN ('succeeded', 'failed')"
                + " ORDER BY id DESC FETCH FIRST " + upTo + " ROWS ONLY", source);
        int failed = 0;
        while (failed < finished.size() && finished.get(failed).failed()) {
            failed++;
        }
        return new Standing(lastSuccess.isEmpty() ? null : lastSuccess.get(0), first.isEmpty() ? null : first.get(0).startedAt(),
                failed, finished.isEmpty() ? null : finished.get(0));
    }

    /**
     * Rejected records, newest first, at most {@code limit}: of the source (all when empty), whose external id or record
     * key contains {@code externalId}, and whose reason contains {@code reason} (case-insensitive; empty: any).
     */
    public List<Rejected> rejected(String source, String externalId, String reason, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT source, external_id, record_key, reason, payload, run_id, created_at, last_seen, seen_count, resolved_at
                FROM rejected_record WHERE 1 = 1""");
        List<Object> values = new ArrayList<>();
        if (!blank(source)) {
            sql.append(" AND source = ?");
            values.add(source.strip());
        }
        if (!blank(externalId)) {
            sql.append(" AND (external_id LIKE ? ESCAPE '\\' OR record_key LIKE ? ESCAPE '\\')");
            values.add(contains(externalId));
            values.add(contains(externalId));
        }
        if (!blank(reason)) {
            sql.append(" AND LOWER(reason) LIKE ? ESCAPE '\\'");
            values.add(contains(reason.toLowerCase(Locale.ROOT)));
        }
        sql.append(" ORDER BY last_seen DESC, id DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
        return warehouse.inTransaction(connection -> {
            List<Rejected> found = new ArrayList<>();
            try (PreparedStatement select = prepare(connection, sql.toString(), values.toArray());
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new Rejected(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getLong(6), instant(rows, 7), instant(rows, 8), rows.getLong(9),
                            instant(rows, 10)));
                }
            }
            return found;
        });
    }

    /** The sources that have rejected records, sorted: the choices of the search form. */
    public List<String> rejectingSources() {
        return warehouse.inTransaction(connection -> {
            List<String> sources = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT source FROM rejected_record ORDER BY source");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sources.add(rows.getString(1));
                }
            }
            return sources;
        });
    }

    private List<Run> runs(String sql, Object... values) {
        return warehouse.inTransaction(connection -> {
            List<Run> runs = new ArrayList<>();
            try (PreparedStatement select = prepare(connection, sql, values); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    runs.add(new Run(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), instant(rows, 5),
                            instant(rows, 6), new PageCounts(rows.getLong(7), rows.getLong(8), rows.getLong(9), rows.getLong(10),
                            rows.getLong(11), rows.getLong(12)), rows.getString(13)));
                }
            }
            return runs;
        });
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        return statement;
    }

    /** A LIKE pattern for text containing {@code value}, its own wildcards taken literally. */
    private static String contains(String value) {
        return "%" + value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
