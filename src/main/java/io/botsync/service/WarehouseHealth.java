package io.botsync.service;

import io.botsync.warehouse.Warehouse;
import io.botsync.warehouse.WarehouseException;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code /observe/health}: DOWN while the warehouse gives no connection that answers within a few seconds (it is
 * stopped, or the network to it is down), UP again as soon as it does: the pool replaces the connections the database
 * dropped, without a restart. A readiness check only: restarting botsync would not bring the database back.
 */
final class WarehouseHealth extends AbstractHealthCheck {

    /** Long enough for a new connection to a remote database, short enough for a probe's own timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Warehouse warehouse;

    WarehouseHealth(Warehouse warehouse) {
        super("botsync", "warehouse");
        this.warehouse = warehouse;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            warehouse.check(TIMEOUT);
            builder.up();
        } catch (WarehouseException e) {
            builder.down();
            builder.message(e.getMessage());
        }
    }
}
