package io.botsync.push;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under {@code run}: on a schedule, the outbox rows every push target has passed and that are older than
 * {@code botsync.push.retention-days} are deleted (see {@link PushService#pruneOutbox}).
 */
public final class OutboxRetentionRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRetentionRoutes.class);

    private final PushService push;
    private final Duration retention;
    private final String cron;

    public OutboxRetentionRoutes(PushService push, Duration retention, String cron) {
        this.push = push;
        this.retention = retention;
        this.cron = cron;
    }

    @Override
    public void configure() {
        fromF("quartz:botsync/outbox-prune?cron=%s", cron.trim().replace(' ', '+'))
                .routeId("botsync-outbox-prune")
                .process(exchange -> {
                    int pruned = push.pruneOutbox(retention);
                    if (pruned > 0) {
                        LOG.info("outbox: {} changes every push target had passed, older than {} days, pruned", pruned,
                                retention.toDays());
                    }
                });
    }
}
