package io.botsync.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The warehouse database (H2 or PostgreSQL): schema migrations at start-up, the per-page transaction, and the
 * bookkeeping of runs and cursors. Thread-safe; one instance per process.
 */
public final class Warehouse implements AutoCloseable {

    private static final int CONNECTIONS = 8;
    /** A {@code password=} in a JDBC URL, kept out of every message that names the database. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private final HikariDataSource dataSource;
    /**
     * How many sources may hold their single-flight lock at once: two fewer than the pool's connections. A sync holds
     * its lock on a connection for the whole pass and needs another to write with; were every connection a lock, each
     * holder would wait for a second one until the pool's timeout and fail (the soak, bench/RESULTS.md). The second
     * connection left is for everything else (health and metrics, push, pruning). A sync past these waits its turn.
     */
    private final Semaphore lockHolders = new Semaphore(CONNECTIONS - 2, true);
    private final Dialect dialect;
    /** Whether crm_user.external_id sorts as Java's strings do, so full scans in id order may cover ranges ({@link IdOrder}). */
    private final boolean idsInJavaOrder;
    /** The URL as messages show it. */
    private final String shownUrl;
    /** Told of the users each page transaction changed, inside it (the contacts); none until set. */
    private volatile UserChanges userChanges;

    private Warehouse(HikariDataSource dataSource, Dialect dialect, boolean idsInJavaOrder, String shownUrl) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.idsInJavaOrder = idsInJavaOrder;
        this.shownUrl = shownUrl;
    }

    /**
     * Connects and brings the schema up to date.
     *
     * @throws WarehouseUnreachableException when the database does not answer (it is down, or the network to it)
     * @throws WarehouseException when the database cannot be connected to otherwise or migrated; the message names the
     *                            URL (never the password) and the key to check
     */
    public static Warehouse open(String url, String user, String password) {
        return open(url, user, password, false);
    }

    /**
     * Connects to a warehouse that exists and brings its schema up to date, for the commands that only read: an H2
     * database that is not there is not created ({@code IFEXISTS=TRUE}). A PostgreSQL database is never created by
     * connecting to it.
     *
     * @throws WarehouseException naming the URL and the key to check when there is no such database
     */
    public static Warehouse openExisting(String url, String user, String password) {
        return open(url, user, password, true);
    }

    private static Warehouse open(String url, String user, String password, boolean mustExist) {
        String shownUrl = URL_PASSWORD.matcher(url).replaceAll("$1***");
        Dialect dialect;
        try {
            dialect = Dialect.of(url);
        } catch (IllegalArgumentException e) {
            throw new WarehouseException(e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(CONNECTIONS); // a running sync keeps one for its single-flight lock: see lockHolders
        config.setPoolName("botsync-warehouse");
        if (dialect.sessionSetup != null) {
            config.setConnectionInitSql(dialect.sessionSetup);
        }
        dialect.connectionDefaults(url).forEach(config::addDataSourceProperty);
        if (mustExist) {
            dialect.existingOnly(url).forEach(config::addDataSourceProperty);
        }
        config.setAutoCommit(true);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (WarehouseUnreachableException.isUnreachable(e)) {
                throw new WarehouseUnreachableException(shownUrl, e);
            }
            if (dialect.isMissingDatabase(e)) {
                throw new WarehouseException("there is no warehouse at " + shownUrl + " yet: this command reads one and"
                        + " never creates it. Check botsync.warehouse.url (a relative path is read from the working"
                        + " directory, " + Path.of("").toAbsolutePath() + "), or let sync or run create it", e);
            }
            throw new WarehouseException("cannot connect to the warehouse at " + shownUrl + " (" + rootMessage(e)
                    + "); check botsync.warehouse.url, .user and .password", e);
        }
        boolean idsInJavaOrder;
        try {
            int migrated = Flyway.configure()
                    .dataSource(dataSource)
                    .placeholders(Map.of("text", dialect.textType))
                    .load()
                    .migrate()
                    .migrationsExecuted;
            if (migrated > 0) {
                dialect.persistSchema(dataSource);
            }
            idsInJavaOrder = IdOrder.javaLike(dataSource, dialect);
        } catch (FlywayException | SQLException e) {
            dataSource.close();
            throw WarehouseUnreachableException.isUnreachable(e) ? new WarehouseUnreachableException(shownUrl, e)
                    : new WarehouseException("cannot migrate the warehouse at " + shownUrl + ": " + rootMessage(e), e);
        }
        return new Warehouse(dataSource, dialect, idsInJavaOrder, shownUrl);
    }

    /**
     * Borrows a connection from the pool, waiting at most {@code timeout}, and has the database answer on it: what
     * {@code /observe/health} asks. A pool whose connections the database dropped replaces them here as anywhere.
     *
     * @throws WarehouseException when no connection answers in time; the message names the database and why
     */
    public void check(Duration timeout) {
        // the pool's own wait for a connection is the pool's connection timeout, 30 s: too long for a health check.
        // The pool behind the data source is a HikariPool, which can be asked with a shorter wait.
        HikariPool pool = (HikariPool) dataSource.getHikariPoolMXBean();
        try (Connection connection = pool.getConnection(timeout.toMillis())) {
            if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
                throw new WarehouseUnreachableException(shownUrl, new SQLException("no answer within " + timeout.toSeconds() + " s"));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Has the connection pool report into {@code registry} (HikariCP's own {@code hikaricp.connections.*} meters,
     * tagged {@code pool=botsync-warehouse}): connections active, idle, pending and their limits, timeouts, and how long
     * connections took to get, were held and to open. Once per warehouse; the meters go when it closes.
     */
    public void meterPool(MeterRegistry registry) {
        dataSource.setMetricRegistry(registry);
    }

    /**
     * Starts a run. A run of this source still marked running was cut off (the process died): it is closed as
     * failed first, so {@code status} never shows a ghost. Callers hold the source's single-flight lock.
     */
    public long beginRun(String source, String mode) {
        return beginRun(source, mode, null);
    }

    /**
     * Starts a run whose completed full scan may flag at most {@code maxDeleteShare} of the source's users deleted
     * (0.2 = 20%); null lifts the gate ({@code --allow-mass-delete}).
     */
    public long beginRun(String source, String mode, Double maxDeleteShare) {
        return inTransaction(connection -> {
            OffsetDateTime now = now();
            try (PreparedStatement stale = connection.prepareStatement(
                    "UPDATE sync_run SET status = 'failed', finished_at = ?, error = ? WHERE source = ? AND status = 'running'")) {
                stale.setObject(1, now);
                stale.setString(2, "interrupted: the process stopped, or lost the warehouse, before this run finished");
                stale.setString(3, source);
                stale.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO sync_run (source, mode, started_at, status) VALUES (?, ?, ?, 'running')",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, source);
                insert.setString(2, mode);
                insert.setObject(3, now);
                insert.executeUpdate();
                long runId;
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    runId = keys.getLong(1);
                }
                if (maxDeleteShare != null) {
                    try (PreparedStatement gate = connection.prepareStatement("UPDATE sync_run SET max_delete_share = ? WHERE id = ?")) {
                        gate.setBigDecimal(1, java.math.BigDecimal.valueOf(maxDeleteShare));
                        gate.setLong(2, runId);
                        gate.executeUpdate();
                    }
                }
                return runId;
            }
        });
    }

    /**
     * Records a run that was asked for and did nothing, with why: status {@code skipped}, no counts, started and finished
     * now. It takes no lock and closes no other run.
     */
    public long skippedRun(String source, String mode, String reason) {
        return inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sync_run (source, mode, started_at,"
                    + " finished_at, status, error) VALUES (?, ?, ?, ?, 'skipped', ?)", Statement.RETURN_GENERATED_KEYS)) {
                OffsetDateTime now = now();
                insert.setString(1, source);
                insert.setString(2, mode);
                insert.setObject(3, now);
                insert.setObject(4, now);
                insert.setString(5, reason);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /**
     * Closes a run: {@code succeeded} or {@code failed} with the error shown to ops. Its counts were kept page by page.
     * A run the warehouse failed under is closed once it answers again, within the pool's connection timeout.
     */
    public void finishRun(long runId, boolean succeeded, String error) {
        try {
            closeRun(runId, succeeded, error);
        } catch (WarehouseUnreachableException e) {
            // the connection it was given had been dropped (the pool checks only one idle for over half a second), and the
            // pool let go of them all; the second try waits for a new one
            closeRun(runId, succeeded, error);
        }
    }

    private void closeRun(long runId, boolean succeeded, String error) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE sync_run SET status = ?, finished_at = ?, error = ? WHERE id = ?")) {
                update.setString(1, succeeded ? "succeeded" : "failed");
                update.setObject(2, now());
                update.setString(3, error);
                update.setLong(4, runId);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Takes the single-flight lock of a source if no other process (or thread) holds it; empty when one does. The
     * lock is a row lock of an open transaction, so it is released when the holder closes it or its process dies.
     * While {@link #lockHolders} sources of this process hold theirs, it first waits for one of them to close.
     */
    public Optional<SourceLock> tryLock(String source) {
        try {
            lockHolders.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseException("interrupted while waiting to take the lock of " + source, e);
        }
        Optional<SourceLock> lock = Optional.empty();
        try {
            lock = takeLock(source);
            return lock;
        } finally {
            if (lock.isEmpty()) {
                lockHolders.release();
            }
        }
    }

    private Optional<SourceLock> takeLock(String source) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            if (dialect.advisoryLock != null) {
                try (PreparedStatement lock = connection.prepareStatement(dialect.advisoryLock)) {
                    lock.setString(1, source);
                    try (ResultSet rows = lock.executeQuery()) {
                        if (rows.next() && rows.getBoolean(1)) {
                            return Optional.of(new SourceLock(connection, dialect.advisoryUnlock, source, lockHolders::release));
                        }
                    }
                }
                connection.close();
                return Optional.empty();
            }
            if (!lockRowExists(connection, source)) { // an upsert of a locked row would wait for its holder
                try (PreparedStatement insert = connection.prepareStatement(dialect.insertLock)) {
                    insert.setString(1, source);
                    insert.executeUpdate();
                }
            }
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT source FROM sync_lock WHERE source = ? FOR UPDATE SKIP LOCKED")) {
                lock.setString(1, source);
                try (ResultSet rows = lock.executeQuery()) {
                    if (rows.next()) {
                        return Optional.of(new SourceLock(connection, null, source, lockHolders::release));
                    }
                }
            }
            new SourceLock(connection, null, source, SourceLock.NOT_HELD).close();
            return Optional.empty();
        } catch (SQLException e) {
            if (connection != null) {
                new SourceLock(connection, null, source, SourceLock.NOT_HELD).close();
            }
            throw WarehouseUnreachableException.isUnreachable(e) ? failure(e)
                    : new WarehouseException("warehouse error: cannot take the lock of " + source + ": " + rootMessage(e), e);
        }
    }

    private static boolean lockRowExists(Connection connection, String source) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM sync_lock WHERE source = ?")) {
            select.setString(1, source);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The run of a source still marked running, as "run N, started T", for the message of a sync that must wait. */
    public Optional<String> runningRun(String source) {
        return inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, started_at FROM sync_run WHERE source = ? AND status = 'running' ORDER BY id DESC")) {
                select.setString(1, source);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of("run " + rows.getLong(1) + ", started " + instant(rows, 2)) : Optional.empty();
                }
            }
        });
    }

    /** The committed cursor of a source, or empty before its first committed page. */
    public Optional<String> cursor(String source) {
        return inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT cursor FROM sync_state WHERE source = ?")) {
                select.setString(1, source);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Starts a fresh full scan of a source, forgetting what an unfinished one saw (see {@link ScanStart}).
     *
     * @return true when the source has no users yet: the scan's pages need not be tracked as seen
     */
    public boolean startScan(String source) {
        return inTransaction(connection -> ScanStart.begin(connection, dialect, source, now()));
    }

    /** For a resumed full scan: true when it started while its source had no users. */
    public boolean scanStartedEmpty(String source) {
        return inTransaction(connection -> ScanStart.fromEmpty(connection, source));
    }

    /**
     * Commits one page: the changed users, the rejects, the scan bookkeeping, the run's counts and the cursor, all
     * in one transaction, so a crash leaves either all of it or none of it.
     */
    public PageCounts write(PageWrite page) {
        return write(List.of(page)).get(0);
    }

    /** Commits several pages, in order, in one transaction: all of them or none. */
    public List<PageCounts> write(List<PageWrite> pages) {
        return inTransaction(connection -> {
            dialect.keepPlans(connection);
            OffsetDateTime now = now();
            UserChanges listener = userChanges;
            PageTransaction transaction = new PageTransaction(connection, dialect, idsInJavaOrder, now, listener != null);
            List<PageCounts> counts = new ArrayList<>(pages.size());
            for (PageWrite page : pages) {
                counts.add(transaction.write(page));
            }
            if (listener != null && !transaction.changedUsers().isEmpty()) {
                listener.changed(connection, transaction.changedUsers(), now); // under the outbox lock its events took
            }
            return counts;
        });
    }

    /** Work that commits with the users a page transaction changed, inside it, holding the outbox lock. */
    public interface UserChanges {
        void changed(Connection connection, java.util.Collection<UserChange> users, OffsetDateTime now) throws SQLException;
    }

    public void onUserChanges(UserChanges listener) {
        this.userChanges = listener;
    }

    /**
     * Runs the work in one transaction that first takes the outbox lock, as every transaction that changes users does
     * before it commits: while it runs, no other writer's users or change events can commit.
     */
    public <T> T underWriterLock(Work<T> work) {
        return underWriterLock(work, true);
    }

    /** @param commit false to roll the work back once it returned (a dry run) */
    public <T> T underWriterLock(Work<T> work, boolean commit) {
        return inTransaction(connection -> {
            new ChangeOutbox(connection, now()).lock();
            T result = work.run(connection);
            if (!commit) {
                connection.rollback();
            }
            return result;
        });
    }

    /**
     * Begins a rehearsal: page transactions that are listed, then rolled back (see {@link DryRun}).
     *
     * @param maxDeleteShare the mass-delete gate of the run rehearsed, as for {@link #beginRun}; null: none
     */
    public DryRun dryRun(Double maxDeleteShare) {
        try {
            return new DryRun(dataSource.getConnection(), dialect, idsInJavaOrder, maxDeleteShare);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The latest run and the cursor of every source that has either, sorted by source. */
    public List<SourceStatus> status() {
        return inTransaction(connection -> {
            List<SourceStatus> result = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT r.source, r.id, r.mode, r.status, r.started_at, r.finished_at, r.fetched, r.inserted, r.updated,
                           r.unchanged, r.deleted, r.rejected, r.error, s.cursor,
                           (SELECT COUNT(*) FROM crm_user u WHERE u.source = r.source),
                           (SELECT COUNT(*) FROM crm_user u WHERE u.source = r.source AND u.deleted),
                           (SELECT f.status FROM sync_run f WHERE f.source = r.source AND f.status IN ('succeeded', 'failed')
                            ORDER BY f.id DESC FETCH FIRST 1 ROWS ONLY),
                           (SELECT MAX(g.finished_at) FROM sync_run g WHERE g.source = r.source AND g.status = 'succeeded'
                            AND g.mode IN ('incremental', 'full'))
                    FROM sync_run r LEFT JOIN sync_state s ON s.source = r.source
                    WHERE r.id = (SELECT MAX(id) FROM sync_run l WHERE l.source = r.source)
                    ORDER BY r.source""");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    result.add(new SourceStatus(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4),
                            instant(rows, 5), instant(rows, 6),
                            new PageCounts(rows.getLong(7), rows.getLong(8), rows.getLong(9), rows.getLong(10),
                                    rows.getLong(11), rows.getLong(12)),
                            rows.getString(13), rows.getString(14), rows.getLong(15), rows.getLong(16),
                            "failed".equals(rows.getString(17)), instant(rows, 18)));
                }
            }
            return result;
        });
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Statements to run in one transaction. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) { // the connection broke under the work: the work's failure says how
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                if (!connection.isClosed()) { // one the database dropped is closed, and would only say that
                    connection.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * A failed statement as ops read it: the database away (named), or the database's own error. When the database
     * went away, the pool lets go of every connection it holds (those in use as they are returned): the database
     * dropped them too, and the pool would hand out one used in the last half second without checking it.
     */
    private WarehouseException failure(SQLException e) {
        if (!WarehouseUnreachableException.isUnreachable(e)) {
            return new WarehouseException("warehouse error: " + rootMessage(e), e);
        }
        dataSource.getHikariPoolMXBean().softEvictConnections();
        return new WarehouseUnreachableException(shownUrl, e);
    }

    /** The innermost message of a failure: the driver's or the network's own words ("Connection refused"). */
    static String rootMessage(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage(); // a dropped connection ends in an EOFException without one
            }
        }
        return String.valueOf(message);
    }

    /** The time a transaction stamps on what it writes, in the type both JDBC drivers map to timestamptz. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
