package io.botsync.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The {@code run} nodes of a cluster as its job store has them: what {@code status} lists. */
public final class ClusterNodes {

    /** How long past a missed check-in Quartz waits before the other nodes take a node's firings over. */
    private static final Duration GRACE = Duration.ofMillis(7_500);

    /**
     * @param id          Quartz's instance id: the host name and the time the node started
     * @param lastCheckIn when it last told the job store it is alive
     * @param running     the routes whose firings it is running (their triggers are named after them)
     */
    public record Node(String id, Instant lastCheckIn, Duration checkInInterval, List<String> running) {

        /** Whether the node missed its check-in long enough for the others to take its firings over. */
        public boolean presumedDead(Instant now) {
            return lastCheckIn.plus(checkInInterval).plus(GRACE).isBefore(now);
        }
    }

    private ClusterNodes() {
    }

    /** The nodes, in the order they last checked in; none when the warehouse serves no cluster. */
    public static List<Node> read(DataSource warehouse) throws SQLException {
        Map<String, Node> nodes = new LinkedHashMap<>();
        try (Connection connection = warehouse.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("SELECT instance_name, last_checkin_time, checkin_interval"
                    + " FROM " + Cluster.TABLE_PREFIX + "scheduler_state ORDER BY last_checkin_time DESC, instance_name");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    nodes.put(rows.getString(1), new Node(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                            Duration.ofMillis(rows.getLong(3)), new ArrayList<>()));
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT instance_name, trigger_name FROM "
                    + Cluster.TABLE_PREFIX + "fired_triggers WHERE state = 'EXECUTING' ORDER BY trigger_name");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Node node = nodes.get(rows.getString(1));
                    if (node != null) {
                        node.running().add(rows.getString(2));
                    }
                }
            }
        }
        return List.copyOf(nodes.values());
    }
}
