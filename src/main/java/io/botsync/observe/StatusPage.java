package io.botsync.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.botsync.cluster.ClusterNodes;
import io.botsync.identity.ContactQueries;
import io.botsync.push.PushService;
import io.botsync.push.TargetState;
import io.botsync.sync.Schedule;
import io.botsync.warehouse.PageCounts;
import io.botsync.warehouse.RunHistory;
import io.botsync.warehouse.SourceStatus;
import io.botsync.warehouse.Warehouse;
import io.botsync.warehouse.WarehouseException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The status page, read from the warehouse on every request: each source's freshness against its schedule, its last
 * runs and a chart of its runs' counts; each push target's position, backlog and rounds; the contacts; and the rejected
 * records, searchable. Rendered by FreeMarker from {@code observe/*.ftlh}, which escapes every value as HTML.
 */
public final class StatusPage {

    /** The chart's time ranges, in the order the page offers them; the first is the default. */
    private static final Map<String, Duration> RANGES = new LinkedHashMap<>();
    /** The series of a chart, in the order they are drawn, with the count each plots. */
    private static final Map<String, ToLongFunction<PageCounts>> SERIES = new LinkedHashMap<>();
    /** Runs listed per source, and rejected records per search. */
    private static final int LAST_RUNS = 10;
    private static final int REJECTED_SHOWN = 100;

    static {
        RANGES.put("24h", Duration.ofHours(24));
        RANGES.put("7d", Duration.ofDays(7));
        RANGES.put("30d", Duration.ofDays(30));
        SERIES.put("fetched", PageCounts::fetched);
        SERIES.put("inserted", PageCounts::inserted);
        SERIES.put("updated", PageCounts::updated);
        SERIES.put("deleted", PageCounts::deleted);
        SERIES.put("rejected", PageCounts::rejected);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A run as the page lists it. */
    public record RunRow(long id, String mode, String status, String started, String took, PageCounts counts, String error) {
    }

    /** A source's part of the page; {@code chart} is the JSON uPlot draws, {@code points} how many runs it plots. */
    public record SourceView(String name, String state, String stateLabel, String why, String schedule, long users,
                             long deletedUsers, List<RunRow> runs, String chart, int points) {
    }

    /**
     * A push target's part of the page; the tally is of this process's rounds. Its state: {@code ok}, {@code failing}
     * (its last {@code botsync.health.failed-runs} rounds failed) or {@code waiting} (no round since the start).
     */
    public record TargetView(String name, String position, String backlog, long parked, String delivered, String lastRound,
                             String state) {
    }

    public record RejectedRow(String source, String externalId, String reason, String payload, long runId, String firstSeen,
                              String lastSeen, long seenCount, String resolved) {
    }

    private final Warehouse warehouse;
    private final RunHistory history;
    private final SourceFreshness freshness;
    private final PushService push;
    private final ContactQueries contacts;
    private final TargetRounds rounds;
    private final int failedRuns;
    private final Configuration templates = new Configuration(Configuration.VERSION_2_3_34);

    /** @param contacts null when contacts are off */
    public StatusPage(Warehouse warehouse, RunHistory history, SourceFreshness freshness, PushService push,
                      ContactQueries contacts, TargetRounds rounds) {
        this.warehouse = warehouse;
        this.history = history;
        this.freshness = freshness;
        this.push = push;
        this.contacts = contacts;
        this.rounds = rounds;
        this.failedRuns = freshness.failedRuns();
        templates.setClassForTemplateLoading(StatusPage.class, "/observe");
        templates.setDefaultEncoding("UTF-8");
        templates.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        templates.setLogTemplateExceptions(false);
        templates.setNumberFormat("computer");
        templates.setLocale(Locale.ROOT);
    }

    /** The main page, its charts over {@code range} ({@code 24h}, {@code 7d} or {@code 30d}; anything else: 24h). */
    public String render(String range) {
        String shownRange = range != null && RANGES.containsKey(range) ? range : RANGES.keySet().iterator().next();
        Instant now = Instant.now();
        Map<String, Schedule> schedules = freshness.schedules();
        Map<String, Freshness> states = freshness.all(now);
        Map<String, SourceStatus> statuses = new HashMap<>();
        warehouse.status().forEach(status -> statuses.put(status.source(), status));
        List<SourceView> sources = new ArrayList<>();
        states.forEach((name, fresh) -> {
            List<RunHistory.Run> points = history.finishedSince(name, now.minus(RANGES.get(shownRange)));
            SourceStatus status = statuses.get(name);
            Schedule schedule = schedules.get(name);
            sources.add(new SourceView(name, fresh.state().css(), fresh.state().label(), fresh.why(),
                    schedule == null ? "not scheduled" : schedule.toString(), status == null ? 0 : status.users(),
                    status == null ? 0 : status.deletedUsers(), history.latest(name, LAST_RUNS).stream().map(StatusPage::row).toList(),
                    chart(points), points.size()));
        });
        Map<String, Object> model = new HashMap<>();
        model.put("generated", shown(now));
        model.put("range", shownRange);
        model.put("ranges", List.copyOf(RANGES.keySet()));
        model.put("sources", sources);
        model.put("targets", targets());
        model.put("failedRuns", failedRuns);
        if (contacts != null) {
            model.put("contacts", contacts.counts());
        }
        model.put("nodes", nodes(now));
        return render("status.ftlh", model);
    }

    /** A clustered node as the page shows it: id, last check-in, whether the others took its firings, what it runs. */
    public record NodeView(String id, String lastCheckIn, boolean presumedDead, String running) {
    }

    /** The cluster's nodes from the warehouse's Quartz job store: none unless {@code run} nodes are clustered. */
    private List<NodeView> nodes(Instant now) {
        try {
            return ClusterNodes.read(warehouse.dataSource()).stream().map(node -> new NodeView(node.id(),
                    shown(node.lastCheckIn()), node.presumedDead(now),
                    node.running().isEmpty() ? "nothing" : String.join(", ", node.running()))).toList();
        } catch (SQLException e) {
            throw new WarehouseException("cannot read the cluster's nodes: " + e.getMessage(), e);
        }
    }

    /** The rejected records matching a search (every field optional). */
    public String renderRejected(String source, String externalId, String reason) {
        List<RejectedRow> rows = history.rejected(source, externalId, reason, REJECTED_SHOWN).stream()
                .map(r -> new RejectedRow(r.source(), r.externalId() != null ? r.externalId() : r.recordKey(), r.reason(),
                        r.payload(), r.runId(), shown(r.createdAt()), shown(r.lastSeen()), r.seenCount(),
                        r.resolvedAt() == null ? "open" : "resolved " + shown(r.resolvedAt())))
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("sources", history.rejectingSources());
        model.put("source", source == null ? "" : source);
        model.put("externalId", externalId == null ? "" : externalId);
        model.put("reason", reason == null ? "" : reason);
        model.put("rows", rows);
        model.put("limit", REJECTED_SHOWN);
        return render("rejected.ftlh", model);
    }

    private List<TargetView> targets() {
        List<TargetState> states = push.states();
        TreeSet<String> names = new TreeSet<>(push.targets());
        states.forEach(state -> names.add(state.target()));
        List<TargetView> views = new ArrayList<>();
        for (String name : names) {
            Optional<TargetState> state = states.stream().filter(s -> s.target().equals(name)).findFirst();
            Optional<TargetRounds.Tally> tally = rounds.of(name);
            String lastRound = tally.map(t -> t.last().status().name().toLowerCase(Locale.ROOT) + " " + shown(t.lastAt())
                    + (t.last().error() == null ? "" : ": " + t.last().error())).orElse("no round since botsync started");
            String targetState = tally.map(t -> t.failedInARow() >= failedRuns ? "failing" : "ok").orElse("waiting");
            // a target without a position has had no round at all: where it starts is its endpoint's from option
            views.add(new TargetView(name, state.map(t -> String.valueOf(t.position())).orElse("none yet"),
                    state.map(t -> String.valueOf(t.backlog())).orElse("-"), state.map(TargetState::parked).orElse(0L),
                    tally.map(t -> String.valueOf(t.delivered())).orElse("0"), lastRound, targetState));
        }
        return views;
    }

    private static RunRow row(RunHistory.Run run) {
        String took = "running";
        if (run.finishedAt() != null) {
            Duration duration = Duration.between(run.startedAt(), run.finishedAt());
            took = duration.toSeconds() < 60 ? String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0)
                    : duration.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT);
        }
        return new RunRow(run.id(), run.mode(), run.status(), shown(run.startedAt()), took, run.counts(), run.error());
    }

    /** uPlot's data: the runs' start times (Unix seconds), then one array per series. */
    private static String chart(List<RunHistory.Run> runs) {
        ObjectNode chart = JSON.createObjectNode();
        ArrayNode times = chart.putArray("x");
        runs.forEach(run -> times.add(run.startedAt().getEpochSecond()));
        SERIES.forEach((series, count) -> {
            ArrayNode values = chart.putArray(series);
            runs.forEach(run -> values.add(count.applyAsLong(run.counts())));
        });
        return chart.toString();
    }

    private static String shown(Instant instant) {
        return Freshness.shown(instant);
    }

    private String render(String template, Map<String, Object> model) {
        try {
            StringWriter page = new StringWriter();
            templates.getTemplate(template).process(model, page);
            return page.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TemplateException e) {
            throw new IllegalStateException("the status page template " + template + " failed: " + e.getMessage(), e);
        }
    }
}
