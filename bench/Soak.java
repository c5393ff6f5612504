/*
 * botsync soak: `run` for a long while, watched from outside. Run it with bench/soak (see the README, "Performance"):
 *   java -cp target/botsync.jar bench/Soak.java [MINUTES] [postgresql|h2]
 * The simulators run inside this (driver) process: 30 accounts, 10 of each platform, a few hundred users each, some
 * of them changed every 10 s. botsync runs as a child JVM, `java -Xmx256m -jar target/botsync.jar run`, in a working
 * directory of its own whose routes/accounts.yaml schedules every account every second. Every 10 s the driver reads
 * the child's heap after a full GC, its metaspace, live threads, open files and warehouse connections; at the end it
 * prints each series' least-squares slope after the first minute, and whether it stays flat.
 */

import com.sun.tools.attach.VirtualMachine;
import io.botsync.sim.PlatformSimulator;
import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

public class Soak {

    static final String POSTGRES = System.getProperty("soak.postgres", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String HEAP = System.getProperty("soak.heap", "256m");
    static final int ACCOUNTS_PER_PLATFORM = Integer.getInteger("soak.accounts-per-platform", 10);
    static final int USERS = Integer.getInteger("soak.users", 300);
    static final String CRON = "0/1 * * * * ?";
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    /** Samples before this are the JVM's warm-up and the accounts' first syncs: left out of the slopes. */
    static final Duration WARM_UP = Duration.ofMinutes(1);
    /** Every SAMPLE_EVERY each simulator changes this many users; every sixth time it also adds one. */
    static final int CHANGED = 5;
    static final Path WORK = Path.of("target/soak").toAbsolutePath();
    static final Path JAR = Path.of("target/botsync.jar").toAbsolutePath();
    static final List<String> report = new ArrayList<>();

    /**
     * What each series is, and the slope a minute below which it counts as flat. Heap: the live set after a full GC
     * still holds the pages of the syncs in flight at that moment (up to 32 pages of 0.4 MB a sync), so single samples
     * vary by several MB; 1 MB/min is about four standard errors of a 9-minute fit at that noise, and a leak of that
     * rate would fill the ~150 MB left under -Xmx256m in under three hours. Metaspace and the loaded classes do not move
     * with the work in flight: a class made per run (a few KB) at ~1,000 runs a minute would show as 1,000 classes and
     * MBs a minute, where 10 classes and 0.25 MB a minute allow the JVM's occasional late class (a lambda form, a
     * reflection accessor). Threads, open files and connections are counts: a leak of one per run would be hundreds a
     * minute, and 0.5/min is under five over the fit.
     */
    record Series(String name, String unit, double flatBelow, ToDoubleFunction<Sample> value) {
    }

    static final List<Series> SERIES = List.of(
            new Series("heap after full GC", "MB", 1.0, Sample::heapMb),
            new Series("metaspace", "MB", 0.25, Sample::metaspaceMb),
            new Series("loaded classes", "", 10, Sample::classes),
            new Series("live threads", "", 0.5, Sample::threads),
            new Series("open files", "", 0.5, Sample::openFiles),
            new Series("warehouse connections", "", 0.5, Sample::connections));

    /** @param cpu the share of one core botsync used since the sample before */
    record Sample(double seconds, double heapMb, double metaspaceMb, int classes, int threads, int openFiles,
                  int connections, double cpu, long succeeded, long failed) {
    }

    public static void main(String[] args) throws Exception {
        String minutes = args.length > 0 ? args[0] : "10";
        String kind = args.length > 1 ? args[1] : "postgresql";
        if (!minutes.matches("\\d+(\\.\\d+)?") || Double.parseDouble(minutes) < 2 || !Set.of("postgresql", "h2").contains(kind)) {
            System.err.println("usage: bench/soak [MINUTES] [postgresql|h2]: MINUTES at least 2 (the slopes leave out the first"
                    + " minute), default 10; the warehouse, default postgresql");
            System.exit(2);
        }
        Duration duration = Duration.ofSeconds(Math.round(60 * Double.parseDouble(minutes)));
        Path dir = WORK.resolve(Instant.now().toString().replace(':', '-'));
        Files.createDirectories(dir);
        Map<String, PlatformSimulator> accounts = startSimulators();
        String url = freshDatabase(kind, dir);
        try {
            soak(accounts, url, dir, duration);
        } finally {
            accounts.values().forEach(PlatformSimulator::close);
            dropDatabase(url);
            Files.write(dir.resolve("soak.txt"), report);
            Files.write(WORK.resolve("last-run.txt"), report);
        }
    }

    /** ACCOUNTS_PER_PLATFORM accounts of every built-in platform, each a simulator of its own: instabot-01, ... */
    static Map<String, PlatformSimulator> startSimulators() {
        Map<String, PlatformSimulator> accounts = new LinkedHashMap<>();
        int seed = 0;
        for (PlatformSimulator.Factory factory : ServiceLoader.load(PlatformSimulator.Factory.class)) {
            for (int i = 1; i <= ACCOUNTS_PER_PLATFORM; i++) {
                accounts.put(String.format(Locale.ROOT, "%s-%02d", factory.platform(), i), factory.start(USERS, ++seed));
            }
        }
        return accounts;
    }

    static void soak(Map<String, PlatformSimulator> accounts, String url, Path dir, Duration duration) throws Exception {
        int port = freePort();
        writeRoutes(accounts, dir);
        writeProperties(accounts, url, dir);
        List<String> command = List.of("java", "-Xmx" + HEAP, "-Xlog:gc:file=" + dir.resolve("gc.log"),
                "-Dcamel.management.port=" + port, "-jar", JAR.toString(), "run");
        line("botsync soak, %s: %d accounts (%d of each of %d platforms), %d users each, cron '%s', warehouse %s,"
                        + " %s, every %d s %d users changed an account (and one added a minute); %d cores",
                Instant.now(), accounts.size(), ACCOUNTS_PER_PLATFORM, accounts.size() / ACCOUNTS_PER_PLATFORM, USERS, CRON,
                url.startsWith("jdbc:h2:") ? "H2" : "PostgreSQL", duration, SAMPLE_EVERY.toSeconds(), CHANGED,
                Runtime.getRuntime().availableProcessors());
        line("botsync: %s (in %s)", String.join(" ", command), dir);

        long started = System.nanoTime();
        Process botsync = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("botsync.out").toFile()).redirectError(dir.resolve("botsync.err").toFile()).start();
        ScheduledExecutorService people = Executors.newSingleThreadScheduledExecutor();
        List<Sample> samples = new ArrayList<>();
        long failedBeforeStop;
        try {
            awaitHealth(port, botsync, dir);
            AtomicInteger round = new AtomicInteger();
            people.scheduleAtFixedRate(() -> {
                int added = round.incrementAndGet() % 6 == 0 ? 1 : 0;
                accounts.values().forEach(sim -> sim.mutate(CHANGED, added));
            }, SAMPLE_EVERY.toMillis(), SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            try (Probe probe = new Probe(botsync.pid(), url)) {
                line("");
                line("%7s %8s %10s %8s %8s %6s %6s %6s %8s %7s", "seconds", "heap MB", "metaspace", "classes", "threads",
                        "files", "conns", "cpu %", "runs ok", "failed");
                long step = SAMPLE_EVERY.toNanos();
                for (long next = ((System.nanoTime() - started) / step + 1) * step; next <= duration.toNanos(); next += step) {
                    Thread.sleep(Math.max(0, (started + next - System.nanoTime()) / 1_000_000));
                    if (!botsync.isAlive()) {
                        throw new IllegalStateException("botsync exited with " + botsync.exitValue() + "; see " + dir);
                    }
                    Sample s = probe.sample((System.nanoTime() - started) / 1e9);
                    samples.add(s);
                    line("%7.0f %8.1f %10.1f %8d %8d %6d %6d %6.0f %8d %7d", s.seconds(), s.heapMb(), s.metaspaceMb(),
                            s.classes(), s.threads(), s.openFiles(), s.connections(), 100 * s.cpu(), s.succeeded(), s.failed());
                }
            }
            summary(samples, metric(port, "botsync_runs_total", "status"), url);
            failedBeforeStop = runs(url, "failed");
        } finally {
            people.shutdownNow();
            botsync.destroy(); // SIGTERM: `run` stops its schedules gracefully
            if (!botsync.waitFor(60, TimeUnit.SECONDS)) {
                botsync.destroyForcibly().waitFor();
            }
        }
        line("");
        line("botsync stopped on SIGTERM with exit code %d; the runs in flight then: %d failed as cut short, %d left running",
                botsync.exitValue(), runs(url, "failed") - failedBeforeStop, runs(url, "running"));
    }

    static long runs(String url, String status) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user(url), "");
             PreparedStatement select = db.prepareStatement("SELECT COUNT(*) FROM sync_run WHERE status = ?")) {
            select.setString(1, status);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The slopes, the verdicts, and what the syncs did (sync_run, and the firings by outcome from /observe/metrics). */
    static void summary(List<Sample> samples, Map<String, Double> runsByStatus, String url) throws SQLException {
        List<Sample> fitted = samples.stream().filter(s -> s.seconds() >= WARM_UP.toSeconds()).toList();
        line("");
        line("slopes over the %d samples after the first minute (least squares, per minute, ± one standard error):",
                fitted.size());
        for (Series series : SERIES) {
            double[] fit = slope(fitted, series.value());
            String verdict = Double.isNaN(fit[0]) ? "too few samples" : Math.abs(fit[0]) < series.flatBelow() ? "FLAT"
                    : fit[0] > 0 ? "GROWING" : "FALLING";
            line("   %-22s %+8.3f %-2s/min ± %.3f  (first %.1f, last %.1f)  %-7s (flat: |slope| < %s %s/min)",
                    series.name(), fit[0], series.unit(), fit[1], series.value().applyAsDouble(fitted.get(0)),
                    series.value().applyAsDouble(fitted.get(fitted.size() - 1)), verdict, series.flatBelow(), series.unit());
        }
        line("");
        try (Connection db = DriverManager.getConnection(url, user(url), "");
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT source, status, started_at, finished_at, inserted + updated,"
                     + " error FROM sync_run ORDER BY id")) {
            Map<String, Integer> byStatus = new TreeMap<>();
            Map<String, Integer> errors = new TreeMap<>();
            Map<Long, List<Double>> durationsByMinute = new TreeMap<>();
            OffsetDateTime first = null;
            long written = 0;
            while (rows.next()) {
                byStatus.merge(rows.getString(2), 1, Integer::sum);
                OffsetDateTime start = rows.getObject(3, OffsetDateTime.class);
                OffsetDateTime end = rows.getObject(4, OffsetDateTime.class);
                first = first == null ? start : first;
                written += rows.getLong(5);
                if (rows.getString(6) != null) {
                    errors.merge(rows.getString(6).replaceAll("\\d+", "N"), 1, Integer::sum);
                }
                if (end != null) {
                    durationsByMinute.computeIfAbsent(Duration.between(first, start).toMinutes(), m -> new ArrayList<>())
                            .add(Duration.between(start, end).toNanos() / 1e6);
                }
            }
            line("runs in sync_run: %s; users inserted or updated: %,d", byStatus, written);
            line("firings by outcome (botsync_runs_total): %s", runsByStatus.entrySet().stream()
                    .map(e -> e.getKey() + "=" + Math.round(e.getValue())).collect(Collectors.joining(", ")));
            errors.forEach((error, count) -> line("   failed %d times: %s", count, error));
            line("runs a minute (and their mean duration), by minute since the first run:");
            line("   %s", durationsByMinute.entrySet().stream().map(e -> String.format(Locale.ROOT, "%d: %d (%.0f ms)",
                    e.getKey(), e.getValue().size(), mean(e.getValue()))).collect(Collectors.joining(", ")));
        }
    }

    /** Least-squares slope per minute of a series against time, and its standard error; NaN below three samples. */
    static double[] slope(List<Sample> samples, ToDoubleFunction<Sample> value) {
        int n = samples.size();
        double meanT = samples.stream().mapToDouble(s -> s.seconds() / 60).average().orElse(Double.NaN);
        double meanY = samples.stream().mapToDouble(value).average().orElse(Double.NaN);
        double sxx = 0;
        double sxy = 0;
        for (Sample s : samples) {
            sxx += Math.pow(s.seconds() / 60 - meanT, 2);
            sxy += (s.seconds() / 60 - meanT) * (value.applyAsDouble(s) - meanY);
        }
        double b = sxy / sxx;
        double residuals = 0;
        for (Sample s : samples) {
            residuals += Math.pow(value.applyAsDouble(s) - meanY - b * (s.seconds() / 60 - meanT), 2);
        }
        return n < 3 ? new double[] {Double.NaN, Double.NaN} : new double[] {b, Math.sqrt(residuals / (n - 2) / sxx)};
    }

    static double mean(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * Reads botsync from outside: heap and threads through JMX (the JDK's local management agent, started in the
     * child through the attach API, as jcmd does), open files from /proc, connections from the database's own view.
     */
    static final class Probe implements AutoCloseable {
        private final long pid;
        private final JMXConnector jmx;
        private final java.lang.management.MemoryMXBean memory;
        private final com.sun.management.GarbageCollectorMXBean fullCollector;
        private final ThreadMXBean threads;
        private final ClassLoadingMXBean classes;
        private long cpuTicks;
        private long cpuAt;
        private final Set<String> heapPools;
        private final Connection db;
        private final String connectionsSql;

        Probe(long pid, String url) throws Exception {
            this.pid = pid;
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
            MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            memory = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.MEMORY_MXBEAN_NAME,
                    java.lang.management.MemoryMXBean.class);
            threads = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            classes = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.CLASS_LOADING_MXBEAN_NAME,
                    ClassLoadingMXBean.class);
            heapPools = ManagementFactory.getPlatformMXBeans(mbeans, MemoryPoolMXBean.class).stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
            // System.gc() is a full collection in G1, the JVM's choice on this machine; its GcInfo is the heap after it
            fullCollector = ManagementFactory.getPlatformMXBeans(mbeans, com.sun.management.GarbageCollectorMXBean.class)
                    .stream().filter(c -> c.getName().equals("G1 Old Generation")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("botsync's JVM does not run G1; the soak reads the heap after"
                            + " G1's full collections"));
            db = DriverManager.getConnection(url, user(url), "");
            cpuSinceLastSample(); // the first sample's CPU counts from here
            connectionsSql = url.startsWith("jdbc:h2:")
                    // through H2's auto-server, into botsync's process: every session but this one is botsync's
                    ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()"
                    : "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
        }

        Sample sample(double seconds) throws Exception {
            long collections = fullCollector.getCollectionCount();
            // G1 skips a System.gc() that comes while a thread is in a JNI critical region (GZIP of a raw page): ask again
            for (int attempt = 1; fullCollector.getCollectionCount() == collections; attempt++) {
                if (attempt > 20) {
                    throw new IllegalStateException("botsync's JVM skipped 20 System.gc() in a row");
                }
                memory.gc();
            }
            Map<String, java.lang.management.MemoryUsage> after = fullCollector.getLastGcInfo().getMemoryUsageAfterGc();
            double heap = after.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed()).sum() / 1048576.0;
            double metaspace = after.getOrDefault("Metaspace", new java.lang.management.MemoryUsage(0, 0, 0, 0)).getUsed() / 1048576.0;
            int openFiles;
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                openFiles = (int) fds.count();
            }
            try (Statement statement = db.createStatement()) {
                int connections = count(statement, connectionsSql);
                return new Sample(seconds, heap, metaspace, classes.getLoadedClassCount(), threads.getThreadCount(), openFiles,
                        connections, cpuSinceLastSample(),
                        count(statement, "SELECT COUNT(*) FROM sync_run WHERE status = 'succeeded'"),
                        count(statement, "SELECT COUNT(*) FROM sync_run WHERE status = 'failed'"));
            }
        }

        /** /proc/PID/stat: utime and stime, fields 14 and 15, in clock ticks (100 a second). */
        private double cpuSinceLastSample() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long now = System.nanoTime();
            double share = (ticks - cpuTicks) / 100.0 / ((now - cpuAt) / 1e9);
            cpuTicks = ticks;
            cpuAt = now;
            return share;
        }

        @Override
        public void close() throws Exception {
            try (db; jmx) {
                // both closed
            }
        }
    }

    static int count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The shipped routes, with accounts.yaml replaced by one entry per account, each on its own cron property. */
    static void writeRoutes(Map<String, PlatformSimulator> accounts, Path dir) throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (var shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                if (!file.getFileName().toString().equals("accounts.yaml")) {
                    Files.copy(file, routes.resolve(file.getFileName()));
                }
            }
        }
        StringBuilder yaml = new StringBuilder("# written by bench/Soak.java: every account of the soak, each every second\n");
        accounts.forEach((account, sim) -> yaml.append(String.format(Locale.ROOT, """
                - templatedRoute:
                    routeTemplateRef: sync-account
                    routeId: sync-%1$s
                    parameters:
                      - name: account
                        value: %1$s
                      - name: platform
                        value: %2$s
                      - name: cron
                        value: "{{botsync.%1$s.cron}}"
                """, account, sim.platform())));
        Files.writeString(routes.resolve("accounts.yaml"), yaml);
    }

    /**
     * botsync.properties in botsync's working directory: the warehouse, and each account's keys, cron and lookback. The
     * lookback is 1 minute instead of 10: a 10-minute window re-reads every user changed in the last 10 minutes on
     * every run, so the work of a run would grow through the whole soak instead of being steady after its first minute.
     */
    static void writeProperties(Map<String, PlatformSimulator> accounts, String url, Path dir) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", user(url));
        properties.put("botsync.warehouse.password", "");
        accounts.forEach((account, sim) -> {
            properties.putAll(new TreeMap<>(sim.sourceProperties(account)));
            properties.put("botsync." + account + ".cron", CRON);
            properties.put("botsync." + account + ".lookback", "1m");
        });
        Files.write(dir.resolve("botsync.properties"), properties.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList());
    }

    /** Waits until /observe/health answers (UP or DOWN): botsync has opened its warehouse and started its routes. */
    static void awaitHealth(int port, Process botsync, Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!botsync.isAlive()) {
                throw new IllegalStateException("botsync exited with " + botsync.exitValue() + " at start-up; see " + dir);
            }
            try {
                http.send(health, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                Thread.sleep(500); // not listening yet
            }
        }
        throw new IllegalStateException("botsync did not answer /observe/health within 2 minutes; see " + dir);
    }

    /** A counter of /observe/metrics summed by one label: {succeeded=..., failed=..., skipped=...}. */
    static Map<String, Double> metric(int port, String name, String label) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(text);
        Pattern labelValue = Pattern.compile(label + "=\"([^\"]*)\"");
        Map<String, Double> sums = new TreeMap<>();
        while (m.find()) {
            Matcher v = labelValue.matcher(m.group(1));
            if (v.find()) {
                sums.merge(v.group(1), Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return sums;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A fresh PostgreSQL database botsync_bench_soak_*, or an H2 file that the sampler can reach through H2's auto-server. */
    static String freshDatabase(String kind, Path dir) throws SQLException {
        if (kind.equals("h2")) {
            return "jdbc:h2:file:" + dir.resolve("warehouse") + ";AUTO_SERVER=TRUE";
        }
        String name = "botsync_bench_soak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection admin = DriverManager.getConnection(POSTGRES, "postgres", "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return POSTGRES.substring(0, POSTGRES.lastIndexOf('/') + 1) + name;
    }

    static void dropDatabase(String url) throws SQLException {
        if (url.startsWith("jdbc:postgresql:")) {
            try (Connection admin = DriverManager.getConnection(POSTGRES, "postgres", "");
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + url.substring(url.lastIndexOf('/') + 1) + " WITH (FORCE)");
            }
        }
    }

    static String user(String url) {
        return url.startsWith("jdbc:postgresql:") ? "postgres" : "sa";
    }

    static void line(String format, Object... values) {
        String text = String.format(Locale.ROOT, format, values);
        System.out.println(text);
        report.add(text);
    }
}
