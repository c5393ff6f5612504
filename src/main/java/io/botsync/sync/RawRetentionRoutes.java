package io.botsync.sync;

import io.botsync.warehouse.RawPages;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Under {@code run}: landed pages older than {@code botsync.raw.retention-days} are deleted on a schedule. */
final class RawRetentionRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(RawRetentionRoutes.class);

    private final RawPages rawPages;
    private final Duration retention;
    private final String cron;

    RawRetentionRoutes(RawPages rawPages, Duration retention, String cron) {
        this.rawPages = rawPages;
        this.retention = retention;
        this.cron = cron;
    }

    @Override
    public void configure() {
        fromF("quartz:botsync/raw-prune?cron=%s", cron.trim().replace(' ', '+'))
                .routeId("botsync-raw-prune")
                .process(exchange -> prune());
    }

    void prune() {
        int pruned = rawPages.prune(Instant.now().minus(retention));
        if (pruned > 0) {
            LOG.info("raw pages: {} landed pages older than {} days pruned", pruned, retention.toDays());
        }
    }
}
