package io.botsync.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.util.TimeUtils;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several {@code run} nodes on one PostgreSQL warehouse (README, Scaling out): Quartz's JDBC job store in the
 * warehouse's {@code botsync_qrtz_*} tables (migration V13), clustered. Each trigger fires on one node at a time:
 * the nodes take their turns acquiring due triggers under the job store's lock, one trigger a turn, so firings
 * spread over the live nodes; a node that stops checking in has its firings taken over by the others. Without
 * {@code botsync.cluster.enabled}, Quartz keeps its in-memory store and every node fires every trigger.
 */
public final class Cluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    /** org.quartz.jobStore.tablePrefix: the tables of migration V13. */
    public static final String TABLE_PREFIX = "botsync_qrtz_";
    /** The Quartz data source name the job store asks {@link DBConnectionManager} for. */
    private static final String DATA_SOURCE = "botsync-warehouse";
    /**
     * The most firings a node runs at once: Quartz's own default, as a single node's in-memory store has it. A sync
     * past the warehouse's 6 lock holders waits its turn (README, Single flight).
     */
    private static final int THREADS = 10;
    /**
     * The job store's connections, a pool apart from the warehouse's: its transactions are short (acquire a trigger,
     * record a firing, check in), and a sync holding warehouse connections for a whole pass must never make the
     * scheduler wait for one, nor the other way round.
     */
    private static final int CONNECTIONS = 4;

    /** The trigger group of Camel's Quartz-scheduled poll consumers: the sources' and push targets' schedules. */
    private static final String POLL_TRIGGERS = "QuartzScheduledPollConsumerScheduler";

    /**
     * Held by a node from before its routes start until they all did: Camel adds a route's trigger when the store has
     * none, and two nodes starting at once would both find none and the second fail to add it. Nodes start one by one.
     */
    private static final String STARTING = "SELECT pg_advisory_lock(hashtext('botsync-cluster-start'))";
    private static final String STARTED = "SELECT pg_advisory_unlock(hashtext('botsync-cluster-start'))";

    private final HikariDataSource pool;
    private Connection starting;

    private Cluster(HikariDataSource pool, Connection starting) {
        this.pool = pool;
        this.starting = starting;
    }

    /**
     * Has Quartz keep its triggers in the warehouse, clustered, when {@code botsync.cluster.enabled} is true. Call
     * before the routes start: Quartz's scheduler is made when the first of them does.
     *
     * @throws IllegalArgumentException when clustering is asked of a warehouse that is not PostgreSQL
     */
    public static Optional<Cluster> configure(CamelContext camel, Function<String, String> properties) {
        if (!Boolean.parseBoolean(properties.apply("botsync.cluster.enabled").strip())) {
            return Optional.empty();
        }
        String url = properties.apply("botsync.warehouse.url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("botsync.cluster.enabled is true, which needs a PostgreSQL warehouse; botsync.warehouse.url"
                    + " is not one: set BOTSYNC_CLUSTER_ENABLED=false, or point BOTSYNC_WAREHOUSE_URL at PostgreSQL");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(properties.apply("botsync.warehouse.user"));
        config.setPassword(properties.apply("botsync.warehouse.password"));
        config.setMaximumPoolSize(CONNECTIONS);
        config.setPoolName("botsync-scheduler");
        HikariDataSource pool = new HikariDataSource(config);
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool is the Cluster's, closed with it after Camel (and Quartz) stopped
            }

            @Override
            public void initialize() {
                // the pool is open already
            }
        });
        QuartzComponent quartz = camel.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(Map.ofEntries(
                // one scheduler name on every node: the job store's rows are the cluster's by it (SCHED_NAME)
                Map.entry("org.quartz.scheduler.instanceName", "botsync"),
                Map.entry("org.quartz.scheduler.instanceId", "AUTO"),
                Map.entry("org.quartz.scheduler.skipUpdateCheck", "true"),
                Map.entry("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool"),
                Map.entry("org.quartz.threadPool.threadCount", String.valueOf(THREADS)),
                Map.entry("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX"),
                Map.entry("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"),
                Map.entry("org.quartz.jobStore.dataSource", DATA_SOURCE),
                Map.entry("org.quartz.jobStore.tablePrefix", TABLE_PREFIX),
                Map.entry("org.quartz.jobStore.isClustered", "true"),
                // acquiring under the lock makes the nodes take turns; without it two could acquire one trigger
                Map.entry("org.quartz.jobStore.acquireTriggersWithinLock", "true"),
                Map.entry("org.quartz.jobStore.clusterCheckinInterval",
                        String.valueOf(millis(properties, "botsync.cluster.checkin-interval"))),
                Map.entry("org.quartz.jobStore.misfireThreshold",
                        String.valueOf(millis(properties, "botsync.cluster.misfire-threshold")))));
        try {
            Connection starting = pool.getConnection();
            try (Statement wait = starting.createStatement()) {
                wait.execute(STARTING);
            }
            return Optional.of(new Cluster(pool, starting));
        } catch (SQLException e) {
            pool.close();
            throw new IllegalStateException("cannot join the cluster: " + e.getMessage(), e);
        }
    }

    /**
     * Names the trigger of a scheduled-poll consumer after its route, when the job store is clustered: every node then
     * finds the one trigger of a route in the store instead of adding one of its own (Camel's default is a random
     * name per process), and the node that fires it runs its own consumer of that route. A changed cron replaces the
     * stored one when a node starts. Call from the consumer's {@code afterConfigureScheduler}.
     */
    public static void nameTrigger(ScheduledPollConsumerScheduler scheduler, String routeId) {
        if (scheduler instanceof QuartzScheduledPollConsumerScheduler quartz && quartz.getTriggerId() == null
                && clustered(quartz.getCamelContext())) {
            quartz.setTriggerId(routeId);
        }
    }

    /**
     * Removes the stored triggers of scheduled routes this node does not have: a job store outlives the routes, and an
     * account taken out of {@code routes/} would otherwise keep a trigger whose firings find no route. Every node has
     * the same routes, so the first node started with the new ones clears the old. Then lets the next node start.
     * Call once the routes started.
     */
    public void started(CamelContext camel) throws SchedulerException, SQLException {
        dropStaleTriggers(camel);
        release();
    }

    private void dropStaleTriggers(CamelContext camel) throws SchedulerException {
        Scheduler scheduler = camel.getComponent("quartz", QuartzComponent.class).getScheduler();
        for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(POLL_TRIGGERS))) {
            if (camel.getRoute(key.getName()) == null) {
                LOG.info("cluster: route {} is gone from routes/; its trigger is removed from the job store", key.getName());
                scheduler.unscheduleJob(key);
            }
        }
    }

    private static boolean clustered(CamelContext camel) {
        Map<?, ?> settings = camel.getComponent("quartz", QuartzComponent.class).getProperties();
        return settings != null && "true".equals(settings.get("org.quartz.jobStore.isClustered"));
    }

    private static long millis(Function<String, String> properties, String key) {
        return TimeUtils.toMilliSeconds(properties.apply(key).strip());
    }

    /** Lets the next node start. */
    private void release() throws SQLException {
        if (starting != null) {
            try (Connection held = starting; Statement unlock = held.createStatement()) {
                starting = null;
                unlock.execute(STARTED); // a session lock: the pooled connection would keep it
            }
        }
    }

    @Override
    public void close() {
        try {
            release();
        } catch (SQLException e) {
            // the pool closes the connection, and the lock with it
        }
        pool.close();
    }
}
