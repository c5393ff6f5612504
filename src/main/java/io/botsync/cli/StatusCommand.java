package io.botsync.cli;

import io.botsync.cluster.ClusterNodes;
import io.botsync.identity.ContactQueries;
import io.botsync.push.TargetState;
import io.botsync.sync.Source;
import io.botsync.warehouse.SourceStatus;
import io.botsync.warehouse.WarehouseException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Per source: the last run, its counts, the cursor. Per push target: its position,"
        + " backlog and parked changes.")
final class StatusCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        try (Application app = Application.start(Map.of())) {
            List<SourceStatus> statuses = app.warehouse().status();
            for (Source source : app.sync().sources().all()) {
                SourceStatus status = statuses.stream().filter(s -> s.source().equals(source.name())).findFirst().orElse(null);
                String configured = source.configured() ? "" : " (not configured: set " + String.join(", ", source.missingKeys()) + ")";
                if (status == null) {
                    System.out.println(source.name() + ": never synced" + configured);
                    continue;
                }
                var c = status.counts();
                System.out.printf("%s: run %d %s %s, started %s, finished %s%s%n", source.name(), status.runId(), status.mode(),
                        status.status(), status.startedAt(), status.finishedAt() == null ? "-" : status.finishedAt(), configured);
                System.out.printf("  fetched=%d inserted=%d updated=%d unchanged=%d deleted=%d rejected=%d%n",
                        c.fetched(), c.inserted(), c.updated(), c.unchanged(), c.deleted(), c.rejected());
                System.out.printf("  users=%d (deleted %d) cursor=%s%n", status.users(), status.deletedUsers(),
                        status.cursor() == null ? "-" : status.cursor());
                if (status.error() != null) {
                    System.out.println("  error: " + status.error());
                }
            }
            printContacts(app);
            printTargets(app);
            printNodes(app);
            return Botsync.OK;
        }
    }

    private static void printContacts(Application app) {
        if (app.contacts().settings().enabled()) {
            ContactQueries.Counts counts = new ContactQueries(app.warehouse(), app.contacts().settings()).counts();
            System.out.printf("contacts: %d people from %d users (%d on more than one source); %d merged into others,"
                    + " %d deleted%n", counts.live(), counts.members(), counts.acrossSources(), counts.merged(), counts.deleted());
        }
    }

    /** Every push target that had a round or has a route: its position, backlog and parked changes. */
    private static void printTargets(Application app) {
        List<TargetState> states = app.push().states();
        List<String> names = new ArrayList<>(app.push().targets());
        states.stream().map(TargetState::target).filter(t -> !names.contains(t)).forEach(names::add);
        for (String target : names) {
            TargetState state = states.stream().filter(s -> s.target().equals(target)).findFirst().orElse(null);
            if (state == null) {
                System.out.println("push " + target + ": no round yet");
            } else {
                System.out.printf("push %s: position %d (backlog %d), parked %d, last moved %s%n", target, state.position(),
                        state.backlog(), state.parked(), state.updatedAt());
            }
        }
    }

    /** The nodes of the cluster sharing this warehouse, from Quartz's job store; nothing for a single node. */
    private static void printNodes(Application app) {
        List<ClusterNodes.Node> nodes;
        try {
            nodes = ClusterNodes.read(app.warehouse().dataSource());
        } catch (SQLException e) {
            throw new WarehouseException("cannot read the cluster's nodes: " + e.getMessage(), e);
        }
        Instant now = Instant.now();
        for (ClusterNodes.Node node : nodes) {
            System.out.printf("node %s: checked in %s (every %d s)%s, running %s%n", node.id(), node.lastCheckIn(),
                    node.checkInInterval().toSeconds(), node.presumedDead(now) ? ", missed its check-ins: presumed dead" : "",
                    node.running().isEmpty() ? "nothing" : String.join(", ", node.running()));
        }
    }
}
