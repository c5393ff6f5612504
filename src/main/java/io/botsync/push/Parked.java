package io.botsync.push;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * Which changes of a batch's exchange the route set aside: parked (a parking step) or left out (an outbound mapping
 * that gave none for them). The others the target took.
 */
final class Parked {

    private Parked() {
    }

    static void add(Exchange exchange, List<PushChange> changes) {
        add(exchange, OutboxHeaders.PARKED, changes);
    }

    static void leaveOut(Exchange exchange, List<PushChange> changes) {
        add(exchange, OutboxHeaders.LEFT_OUT, changes);
    }

    static List<Long> of(Exchange exchange) {
        return ids(exchange, OutboxHeaders.PARKED);
    }

    static List<Long> leftOut(Exchange exchange) {
        return ids(exchange, OutboxHeaders.LEFT_OUT);
    }

    private static void add(Exchange exchange, String property, List<PushChange> changes) {
        List<Long> ids = new ArrayList<>(ids(exchange, property));
        changes.stream().map(PushChange::id).filter(id -> !ids.contains(id)).forEach(ids::add);
        exchange.setProperty(property, List.copyOf(ids));
    }

    @SuppressWarnings("unchecked")
    private static List<Long> ids(Exchange exchange, String property) {
        List<Long> ids = exchange.getProperty(property, List.class);
        return ids == null ? List.of() : ids;
    }
}
