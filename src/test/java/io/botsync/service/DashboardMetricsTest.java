package io.botsync.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.sim.crm.CrmSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Grafana dashboard and the Prometheus alert rules in deploy/ read only series {@code run} exports: the service
 * syncs a Mercury simulator and pushes to a CRM simulator (one contact refused, so parked), then every metric name and
 * label the dashboard's queries and the rules' expressions name must be in /observe/metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardMetricsTest {

    private static final Path DASHBOARD = Path.of("deploy/grafana/botsync-dashboard.json");
    private static final Path ALERTS = Path.of("deploy/prometheus/botsync-alerts.yml");
    /** Labels Prometheus adds to every series it scrapes; {@code up} is the series it makes of each scrape. */
    private static final Set<String> SCRAPE_LABELS = Set.of("job", "instance");
    private static final String SCRAPE_SERIES = "up";
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");
    /** Grouping clauses name labels, not series. */
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** A name, its matchers, and a following "(" when it is a function. */
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w.$:])([a-zA-Z_:][\\w:]*)\\s*(\\{[^}]*})?(\\s*\\()?");
    private static final Pattern MATCHER_LABEL = Pattern.compile("(\\w+)\\s*(?:=~|!=|!~|=)");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern SAMPLE_LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final MercurySimulator mercury = new MercurySimulator(130, 7);
    private final CrmSimulator crm = new CrmSimulator("crm-token-for-the-dashboard", 0);
    private final ServiceFixture service = new ServiceFixture();

    @BeforeAll
    void runASyncAndAPush() {
        service.properties.putAll(mercury.sourceProperties("mercury"));
        service.properties.put("botsync.mercury.cron", ServiceFixture.EVERY_SECOND);
        service.properties.putAll(crm.pushProperties());
        service.properties.put("botsync.push.hubspot.cron", ServiceFixture.EVERY_SECOND);
        AtomicReference<String> refused = new AtomicReference<>();
        crm.refuse(email -> refused.compareAndSet(null, email) || email.equals(refused.get()));
        service.start();
        ServiceFixture.await("a run and a push round that delivered and parked", () -> {
            Map<String, List<Sample>> samples = samples();
            return value(samples, "botsync_runs_total", "source", "mercury") >= 1
                    && value(samples, "botsync_push_changes_delivered_total", "target", "hubspot") >= 1
                    && value(samples, "botsync_push_parked", "target", "hubspot") >= 1;
        });
        // the GC series appear with the first collection after start, which a service that runs for hours has had
        System.gc();
    }

    @AfterAll
    void close() {
        service.close();
        crm.close();
        mercury.close();
    }

    @Test
    void everySeriesTheDashboardAndTheAlertRulesReadIsExported() throws IOException {
        Map<String, Set<String>> read = new LinkedHashMap<>();
        dashboardQueries().forEach(query -> selectors(query, read));
        alertExpressions().forEach(expr -> selectors(expr, read));
        read.remove(SCRAPE_SERIES);
        assertTrue(read.keySet().containsAll(List.of("botsync_runs_total", "botsync_push_backlog", "botsync_push_parked",
                "jvm_memory_used_bytes", "hikaricp_connections_active")), "the queries were read: " + read.keySet());

        Map<String, List<Sample>> exported = samples();
        List<String> missing = new ArrayList<>();
        read.forEach((name, labels) -> {
            Set<String> needed = new TreeSet<>(labels);
            needed.removeAll(SCRAPE_LABELS);
            if (!exported.containsKey(name)) {
                missing.add(name);
            } else if (exported.get(name).stream().noneMatch(s -> s.labels().keySet().containsAll(needed))) {
                missing.add(name + " with labels " + needed);
            }
        });
        assertEquals(List.of(), missing, "read by deploy/ but not in /observe/metrics; it has " + new TreeSet<>(exported.keySet()));
    }

    @Test
    void theMetricsCarryTheJvmTheProcessTheConnectionPoolAndPush() throws Exception {
        Map<String, List<Sample>> samples = samples();
        for (String name : List.of("jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
                "jvm_buffer_memory_used_bytes", "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum",
                "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads", "jvm_threads_daemon_threads",
                "jvm_threads_states_threads", "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_usage",
                "system_cpu_count", "process_uptime_seconds", "process_start_time_seconds", "process_files_open_files",
                "process_files_max_files", "hikaricp_connections", "hikaricp_connections_idle", "hikaricp_connections_pending",
                "hikaricp_connections_min", "hikaricp_connections_timeout_total", "hikaricp_connections_acquire_seconds_count",
                "hikaricp_connections_usage_seconds_count", "hikaricp_connections_creation_seconds_count",
                "botsync_push_changes_parked_total", "botsync_push_changes_passed_over_total", "botsync_push_rounds_total",
                "botsync_push_last_delivery_seconds")) {
            assertTrue(samples.containsKey(name), name + " is not in /observe/metrics");
        }
        assertTrue(value(samples, "jvm_memory_max_bytes", "area", "heap") > 0, "the heap's limit");
        assertTrue(value(samples, "process_uptime_seconds", null, null) > 0);
        assertEquals(8, value(samples, "hikaricp_connections_max", "pool", "botsync-warehouse"), "the warehouse pool's size");
        assertTrue(value(samples, "hikaricp_connections_active", "pool", "botsync-warehouse") >= 0);
        assertEquals(service.count("SELECT COUNT(*) FROM push_parked WHERE target = 'hubspot'"),
                value(samples, "botsync_push_parked", "target", "hubspot"), "the changes parked now");
        assertTrue(value(samples, "botsync_push_changes_delivered_total", "target", "hubspot") > 0);
        assertTrue(value(samples, "botsync_push_backlog", "target", "hubspot") >= 0);
    }

    /** Every PromQL query of the dashboard: its panels' and the metric a template variable lists the values of. */
    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode target : dashboard.findValues("targets")) {
            target.forEach(t -> queries.add(t.path("expr").asText()));
        }
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = labelValues.matcher(variable.path("query").asText());
            if (m.matches()) {
                queries.add(m.group(1));
            }
        }
        assertFalse(queries.isEmpty() || queries.contains(""), "every panel query has an expr: " + queries);
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws IOException {
        Map<String, Object> rules = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(ALERTS));
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                expressions.add((String) rule.get("expr"));
            }
        }
        return expressions;
    }

    /** Adds the series a PromQL expression reads to {@code read}, each with the label names it matches on. */
    private static void selectors(String expr, Map<String, Set<String>> read) {
        String body = GROUPING.matcher(expr).replaceAll(" ").replaceAll("\\[[^]]*]", "");
        Matcher m = SELECTOR.matcher(body);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(3) != null || KEYWORDS.contains(name)) {
                continue;
            }
            Set<String> labels = read.computeIfAbsent(name, n -> new TreeSet<>());
            if (m.group(2) != null) {
                Matcher label = MATCHER_LABEL.matcher(m.group(2).replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
    }

    private record Sample(Map<String, String> labels, double value) {
    }

    /** /observe/metrics as Prometheus reads it: the samples of each series name. */
    private Map<String, List<Sample>> samples() {
        Map<String, List<Sample>> samples = new HashMap<>();
        for (String line : service.get("/observe/metrics").body().lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(2) != null) {
                Matcher label = SAMPLE_LABEL.matcher(m.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.computeIfAbsent(m.group(1), n -> new ArrayList<>()).add(new Sample(labels,
                    Double.parseDouble(m.group(3).replace("Inf", "Infinity"))));
        }
        return samples;
    }

    /** The summed value of a series' samples with the label, or all when {@code label} is null; -1 when there are none. */
    private static double value(Map<String, List<Sample>> samples, String name, String label, String labelValue) {
        List<Sample> matching = samples.getOrDefault(name, List.of()).stream()
                .filter(s -> label == null || labelValue.equals(s.labels().get(label))).toList();
        return matching.isEmpty() ? -1 : matching.stream().mapToDouble(Sample::value).sum();
    }
}
