package io.botsync.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What differs between the two warehouses botsync writes to. Everything else is plain SQL both accept.
 */
enum Dialect {

    // H2 parses a statement again unless it is among the session's last 8 (its default); a page's transaction runs
    // about a dozen different ones, so with 8 it would parse every one of them on every page.
    // DB_CLOSE_ON_EXIT: on SIGTERM, H2's own shutdown hook would close the database while botsync's still commits the
    // page in flight and closes its run as stopped; botsync closes its pool itself, last (see connectionDefaults).
    H2(Map.of("QUERY_CACHE_SIZE", "32", "DB_CLOSE_ON_EXIT", "FALSE"), "varchar", false,
            "MERGE INTO scan_seen (source, external_id) KEY (source, external_id) VALUES (?, ?)",
            "MERGE INTO sync_state (source, cursor, updated_at) KEY (source) VALUES (?, ?, ?)",
            "MERGE INTO sync_state (source, scan_from_empty, scan_ranged, scan_covered_to, updated_at) KEY (source)"
                    + " VALUES (?, ?, TRUE, NULL, ?)",
            "MERGE INTO sync_lock (source) KEY (source) VALUES (?)", null, null,
            // the outbox lock (ChangeOutbox) is held to the commit of a page, which may flag a large source's unseen
            // users deleted: seconds; H2 would make the next page's writer give up after its default one second
            "SET LOCK_TIMEOUT 120000"),

    // The driver sends a batch of INSERTs as multi-row INSERTs (of 64, 32, ... rows), one statement for the server
    // to run instead of one per row: writing pages alone went from about 15,000 to 18,000 users/s. botsync never
    // reads a batch's update counts, which the driver then reports as SUCCESS_NO_INFO.
    // logServerErrorDetail=false: a failed batch's exception then quotes neither its statement with the users' values
    // nor the server's "Failing row contains (...)" detail, so a failed page never writes emails or phones to the log.
    POSTGRESQL(Map.of("reWriteBatchedInserts", "true", "logServerErrorDetail", "false"), "text", true,
            "INSERT INTO scan_seen (source, external_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            """
            INSERT INTO sync_state (source, cursor, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at
            """,
            """
            INSERT INTO sync_state (source, scan_from_empty, scan_ranged, scan_covered_to, updated_at) VALUES (?, ?, TRUE, NULL, ?)
            ON CONFLICT (source) DO UPDATE SET scan_from_empty = EXCLUDED.scan_from_empty, scan_ranged = TRUE,
                scan_covered_to = NULL, updated_at = EXCLUDED.updated_at
            """,
            "INSERT INTO sync_lock (source) VALUES (?) ON CONFLICT DO NOTHING",
            // a session lock, not a row lock held by an open transaction: a transaction open for a whole sync would
            // hold back PostgreSQL's xmin horizon, so the rows rewritten every page (sync_run, sync_state) would pile up
            // dead versions that cannot be pruned, and every page would get slower
            "SELECT pg_try_advisory_lock(" + Dialect.LOCK_CLASS + ", hashtext(?))",
            "SELECT pg_advisory_unlock(" + Dialect.LOCK_CLASS + ", hashtext(?))",
            // After five executions the driver prepares a statement on the server, and PostgreSQL may keep a generic
            // plan made while crm_user was empty: a sequential scan for "external_id = ANY (?)", 50+ ms a page on a
            // large table. Plans are cheap next to that: always plan for the values at hand (except keepPlans).
            "SET plan_cache_mode = force_custom_plan");

    /** H2's DATABASE_NOT_FOUND_WITH_IF_EXISTS_1: "Database ... not found, either pre-create it or ...". */
    private static final int H2_DATABASE_NOT_FOUND = 90146;

    /** Driver settings for every connection, each unless the JDBC URL sets it. */
    private final Map<String, String> connectionDefaults;
    /** The column type of unbounded text (JSON, error messages): H2's own {@code text} is a CLOB. */
    final String textType;
    /**
     * How a page's stored hashes are looked up, one key lookup per id in both databases. PostgreSQL: the page's ids
     * as an array, each looked up by a LATERAL subquery on the whole key; its {@code LIMIT 1} (the key is unique, so
     * it changes no result) keeps the planner from flattening it into a join it may plan otherwise. On a table it
     * has no statistics for yet (a first sync outruns autovacuum's ANALYZE, and autovacuum may be off) PostgreSQL
     * planned both {@code external_id = ANY (?)} and a join to the unnested ids as a scan of the whole source: 50 to
     * 190 ms a page at 150,000 to 370,000 users. H2 uses only
     * the {@code source} part of the key for {@code ANY} and for {@code external_id IN (...)}, so it too would scan
     * the whole source per page; it looks a row-value list {@code (source, external_id) IN ((?, ?), ...)} up in the
     * primary key.
     */
    final boolean storedByArray;
    final String markSeen;
    final String upsertCursor;
    /**
     * Sets a source's {@code sync_state.scan_from_empty} and starts its id ranges afresh, keeping its cursor (see
     * {@link ScanStart}, {@link ScanCoverage}).
     */
    final String noteScanStart;
    /** Adds a source's row to sync_lock unless it is there: the row the single-flight lock locks (H2). */
    final String insertLock;
    /** Takes a source's single-flight lock as a session advisory lock (true when taken), or null: lock the row. */
    final String advisoryLock;
    final String advisoryUnlock;
    /** Run on every new connection, or null. */
    final String sessionSetup;

    /** The first key of botsync's advisory locks, so that they never meet another application's ("bs"). */
    static final int LOCK_CLASS = 0x6273;

    Dialect(Map<String, String> connectionDefaults, String textType, boolean storedByArray, String markSeen,
            String upsertCursor, String noteScanStart, String insertLock, String advisoryLock, String advisoryUnlock, String sessionSetup) {
        this.connectionDefaults = connectionDefaults;
        this.textType = textType;
        this.storedByArray = storedByArray;
        this.markSeen = markSeen;
        this.upsertCursor = upsertCursor;
        this.noteScanStart = noteScanStart;
        this.insertLock = insertLock;
        this.advisoryLock = advisoryLock;
        this.advisoryUnlock = advisoryUnlock;
        this.sessionSetup = sessionSetup;
    }

    /**
     * The connection settings botsync adds to a URL that does not set them. H2 refuses {@code DB_CLOSE_ON_EXIT=FALSE}
     * in server mode ({@code AUTO_SERVER=TRUE}, the default URL's): there its shutdown hook may close the database
     * before a SIGTERM'd run is closed, and the next run closes it as interrupted instead.
     */
    Map<String, String> connectionDefaults(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        Map<String, String> defaults = new LinkedHashMap<>();
        connectionDefaults.forEach((key, value) -> {
            if (!upper.contains(key.toUpperCase(Locale.ROOT))) {  // the URL's own setting wins
                defaults.put(key, value);
            }
        });
        if (upper.contains("AUTO_SERVER=TRUE")) {
            defaults.remove("DB_CLOSE_ON_EXIT");
        }
        return defaults;
    }

    /**
     * The stored hash, deleted flag and update time of a page's users: parameters an array of the ids and the
     * source, or a (source, id) pair each.
     */
    String selectStored(int ids) {
        String columns = "SELECT u.external_id, u.content_hash, u.deleted, u.updated_at FROM ";
        return storedByArray
                ? columns + "unnest(CAST(? AS varchar[])) AS page (id) CROSS JOIN LATERAL (SELECT * FROM crm_user"
                        + " WHERE source = ? AND external_id = page.id LIMIT 1) u"
                : columns + "crm_user u WHERE (u.source, u.external_id) IN (" + "(?, ?), ".repeat(ids - 1) + "(?, ?))";
    }

    /**
     * Lets a transaction that writes pages keep PostgreSQL's plans: its sessions otherwise plan every statement anew
     * (see the session setup), and planning the INSERT of each row of a batch took 8 µs of the 14 µs a row cost the
     * server (pg_stat_statements with track_planning, 300,000 users). Every statement a page write repeats looks a
     * row up by a unique key or inserts one, and a plan made for those even while crm_user was empty is an index scan
     * (checked with EXPLAIN EXECUTE after 300,000 more rows), so there is nothing to plan again. The end of a full scan
     * runs its passes once per scan, too seldom for PostgreSQL to keep a plan for them. SET LOCAL ends with the
     * transaction, so the connection goes back to the pool planning every statement again.
     */
    void keepPlans(Connection connection) throws SQLException {
        if (this == POSTGRESQL) {
            try (Statement mode = connection.createStatement()) {
                mode.execute("SET LOCAL plan_cache_mode = auto");
            }
        }
    }

    /**
     * Makes a migration durable at once. H2 writes committed transactions to its file up to a second later, so a
     * process killed within that second could leave a migration's tables on disk without Flyway's record of them,
     * and every later start would fail on "table already exists" (seen in SingleFlightTest, which kills a syncing
     * process). PostgreSQL's commits are already durable.
     */
    void persistSchema(DataSource dataSource) throws SQLException {
        if (this == H2) {
            try (Connection connection = dataSource.getConnection(); Statement checkpoint = connection.createStatement()) {
                checkpoint.execute("CHECKPOINT SYNC");
            }
        }
    }

    /**
     * The connection settings that keep a connection from creating the database: H2 creates a file database on first
     * connect unless told {@code IFEXISTS=TRUE} (an in-memory one has nothing to leave behind). PostgreSQL never
     * creates one.
     */
    Map<String, String> existingOnly(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        return this == H2 && !upper.startsWith("JDBC:H2:MEM:") && !upper.contains("IFEXISTS=")
                ? Map.of("IFEXISTS", "TRUE") : Map.of();
    }

    /** Whether a connection failed because the database is not there and {@link #existingOnly} forbade creating it. */
    boolean isMissingDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (this == H2 && t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_NOT_FOUND) {
                return true;
            }
        }
        return false;
    }

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("botsync.warehouse.url must be a jdbc:h2: or jdbc:postgresql: URL, not " + jdbcUrl);
    }
}
