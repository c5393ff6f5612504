package io.botsync.reliability;

import io.botsync.TestDatabases;
import io.botsync.sim.PlatformSimulator;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a warehouse a botsync process wrote, with a connection of the test's own. */
final class Warehouses {

    /** Every column a sync decides (not the times it ran), ordered: two clean runs give equal lists. */
    static final String USERS = "SELECT source, external_id, email, phone, first_name, last_name, display_name, user_type,"
            + " locale, created_at, updated_at, attributes, content_hash, deleted FROM crm_user ORDER BY source, external_id";

    private Warehouses() {
    }

    /** The properties that point botsync at these simulators (each as its platform's source) and this warehouse. */
    static Map<String, String> pointedAt(String url, List<? extends PlatformSimulator> sims) {
        Map<String, String> properties = new HashMap<>();
        sims.forEach(sim -> properties.putAll(sim.sourceProperties(sim.platform())));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        return properties;
    }

    static List<List<Object>> query(String url, String sql) throws SQLException {
        return TestDatabases.rows(url, sql);
    }

    static long count(String url, String sql) throws SQLException {
        return (Long) query(url, sql).get(0).get(0);
    }
}
