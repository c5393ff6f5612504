package io.botsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.botsync.cluster.ClusterNodes;
import io.botsync.identity.ContactQueries;
import io.botsync.push.TargetState;
import io.botsync.sync.Schedule;
import io.botsync.sync.Source;
import io.botsync.sync.SourceConsumer;
import io.botsync.warehouse.SourceStatus;
import io.botsync.warehouse.WarehouseException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code status} says, as text and as JSON alike: per source its last run and its state, the contacts, the push
 * targets, the cluster's nodes (none unless clustered); {@code ok} is false (exit 1) when a source's last run failed or it
 * is late.
 */
record StatusReport(boolean ok, String at, List<SourceReport> sources, ContactsReport contacts, List<TargetReport> pushTargets,
                    List<NodeReport> nodes) {

    static final String FAILED = "failed";
    static final String LATE = "late";

    /**
     * @param state         {@code ok}, {@code failed} (the last run that finished failed), {@code late} (see
     *                      {@link Schedule#lateFrom}) or {@code never synced}
     * @param schedules     the schedules of the routes that read it under {@code run}; empty when none fires
     * @param lateFrom      when it is, or will be, late without another successful sync; null when it cannot be
     */
    record SourceReport(String source, String state, boolean configured, List<String> missingKeys, List<String> schedules,
                        String lastSyncSucceeded, String lateFrom, RunReport lastRun, Long users, Long deletedUsers,
                        JsonNode cursor) {
    }

    record RunReport(long id, String mode, String status, String startedAt, String finishedAt, long fetched, long inserted,
                     long updated, long unchanged, long deleted, long rejected, String error) {
    }

    record ContactsReport(long people, long users, long acrossSources, long merged, long deleted) {
    }

    /** @param position null before the target's first round */
    record TargetReport(String target, Long position, Long backlog, Long parked, String lastMoved) {
    }

    /** @param presumedDead true when it missed its check-ins: the others take its triggers over */
    record NodeReport(String id, String lastCheckIn, long checkInSeconds, boolean presumedDead, List<String> running) {
    }

    static StatusReport of(Application app, Instant now) {
        List<SourceStatus> statuses = app.warehouse().status();
        List<SourceReport> sources = new ArrayList<>();
        for (Source source : app.sync().sources().all()) {
            SourceStatus status = statuses.stream().filter(s -> s.source().equals(source.name())).findFirst().orElse(null);
            List<Schedule> schedules = app.pipeline().consumers().stream().filter(c -> c.account().equals(source.name()))
                    .map(SourceConsumer::schedule).flatMap(Optional::stream).toList();
            sources.add(source(source, status, schedules, now));
        }
        ContactsReport contacts = null;
        if (app.contacts().settings().enabled()) {
            ContactQueries.Counts counts = new ContactQueries(app.warehouse(), app.contacts().settings()).counts();
            contacts = new ContactsReport(counts.live(), counts.members(), counts.acrossSources(), counts.merged(), counts.deleted());
        }
        boolean ok = sources.stream().noneMatch(s -> s.state().equals(FAILED) || s.state().equals(LATE));
        return new StatusReport(ok, now.toString(), sources, contacts, targets(app), nodes(app, now));
    }

    /** The nodes in the warehouse's Quartz job store: none unless {@code run} nodes are clustered. */
    private static List<NodeReport> nodes(Application app, Instant now) {
        try {
            return ClusterNodes.read(app.warehouse().dataSource()).stream()
                    .map(node -> new NodeReport(node.id(), text(node.lastCheckIn()), node.checkInInterval().toSeconds(),
                            node.presumedDead(now), node.running()))
                    .toList();
        } catch (SQLException e) {
            throw new WarehouseException("cannot read the cluster's nodes: " + e.getMessage(), e);
        }
    }

    private static SourceReport source(Source source, SourceStatus status, List<Schedule> schedules, Instant now) {
        List<String> shown = schedules.stream().map(Schedule::toString).distinct().toList();
        if (status == null) {
            return new SourceReport(source.name(), "never synced", source.configured(), source.missingKeys(), shown, null,
                    null, null, null, null, null);
        }
        Instant lastSuccess = status.lastSyncSucceeded();
        // late by the schedule that fires soonest: an account with a 15-minute route and a weekly full one is late
        // when its 15-minute syncs stop succeeding
        Instant lateFrom = lastSuccess == null ? null : schedules.stream().map(s -> s.lateFrom(lastSuccess))
                .filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        String state = status.lastFinishedFailed() ? FAILED : lateFrom != null && now.isAfter(lateFrom) ? LATE : "ok";
        var c = status.counts();
        RunReport run = new RunReport(status.runId(), status.mode(), status.status(), text(status.startedAt()),
                text(status.finishedAt()), c.fetched(), c.inserted(), c.updated(), c.unchanged(), c.deleted(), c.rejected(),
                status.error());
        return new SourceReport(source.name(), state, source.configured(), source.missingKeys(), shown, text(lastSuccess),
                text(lateFrom), run, status.users(), status.deletedUsers(), cursor(status.cursor()));
    }

    /** Every push target that had a round or has a route: its position, backlog and parked changes. */
    private static List<TargetReport> targets(Application app) {
        List<TargetState> states = app.push().states();
        List<String> names = new ArrayList<>(app.push().targets());
        states.stream().map(TargetState::target).filter(t -> !names.contains(t)).forEach(names::add);
        List<TargetReport> targets = new ArrayList<>();
        for (String target : names) {
            TargetState state = states.stream().filter(s -> s.target().equals(target)).findFirst().orElse(null);
            targets.add(state == null ? new TargetReport(target, null, null, null, null)
                    : new TargetReport(target, state.position(), state.backlog(), state.parked(), text(state.updatedAt())));
        }
        return targets;
    }

    /** A cursor is JSON text: shown as the JSON it is (as text, should one not be). */
    private static JsonNode cursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(cursor);
        } catch (Exception e) {
            return TextNode.valueOf(cursor);
        }
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }
}
