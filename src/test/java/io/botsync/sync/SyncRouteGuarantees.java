package io.botsync.sync;

import static org.apache.camel.builder.Builder.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.TestDatabases;
import io.botsync.mapping.Mappings;
import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped sync route ({@code routes/sync-account.yaml}, the template every account's route is made from) in a
 * Camel test context, against a real Mercury simulator and a real warehouse, with Camel steps woven in between its
 * stages by {@link AdviceWith}: each guarantee of a sync must hold whatever ops put there. Mercury commits its cursor
 * with every page, so a page lost between the stages would show as users missing after the next run.
 * {@link SyncRouteH2Test} and {@link SyncRoutePostgresTest} run these on each warehouse.
 */
abstract class SyncRouteGuarantees extends CamelTestSupport {

    static final int USERS = 500;
    static final int PAGE = 50;
    static final String ROUTE = "sync-mercury";

    final MercurySimulator sim = new MercurySimulator(USERS, 7);
    String url;
    Warehouse warehouse;
    SyncService sync;

    /** {@code h2} or {@code postgresql}. */
    abstract String database();

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true); // each test weaves its steps in, then starts the context
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        Properties properties = new Properties();
        properties.putAll(sim.sourceProperties("mercury"));
        properties.put("botsync.mercury.page-size", String.valueOf(PAGE));
        properties.put("botsync.pipeline.pages-in-flight", "4");
        camel.getPropertiesComponent().setLocation("classpath:application.properties");
        camel.getPropertiesComponent().setOverrideProperties(properties);
        Function<String, String> lookup = key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null);
        url = TestDatabases.fresh(database());
        warehouse = Warehouse.open(url, TestDatabases.user(url), "");
        Pipeline pipeline = new Pipeline(warehouse, new Sources(lookup), new Mappings(Path.of("mappings")),
                Duration.ofSeconds(5), false, lookup);
        camel.addComponent("botsync", new BotsyncComponent(pipeline));
        sync = new SyncService(pipeline);
        var loader = PluginHelper.getRoutesLoader(camel);
        for (String file : List.of("routes/error-handling.yaml", "routes/sync-account.yaml")) {
            loader.loadRoutes(ResourceHelper.resolveResource(camel, "file:" + file));
        }
        return camel;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                templatedRoute("sync-account").routeId(ROUTE).parameter("account", "mercury")
                        .parameter("platform", "mercury").parameter("cron", "0 0 0 * * ?");
            }
        };
    }

    @AfterEach
    void closeParts() {
        sim.close();
        warehouse.close();
    }

    @Test
    void aWireTapOfEveryFetchedPageToFileWritesOneFilePerPageAndEveryUserLands() throws Exception {
        Path tap = Files.createTempDirectory("botsync-tap");
        AdviceWith.adviceWith(context, ROUTE, route -> route.weaveByToUri("botsync:map/*").before()
                .wireTap("file:" + tap + "?fileName=${header.CamelBotsyncRunId}-${header.CamelBotsyncPage}.json"));
        context.start();
        NotifyBuilder lastPageTapped = new NotifyBuilder(context).wereSentTo("file:*")
                .filter(header(PageHeaders.LAST_PAGE).isEqualTo(true)).whenDone(1).create();

        RunResult result = sync.sync("mercury");

        assertEquals(RunResult.Status.SUCCEEDED, result.status(), result.summary());
        assertTrue(lastPageTapped.matches(30, TimeUnit.SECONDS), "the last page's file is written");
        long pages = count("SELECT COUNT(*) FROM raw_page");
        await(() -> files(tap).size() == pages, "one file per landed page");
        Set<String> tapped = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (Path file : files(tap)) {
            assertTrue(file.getFileName().toString().matches("1-\\d+\\.json"), file.toString());
            for (JsonNode record : json.readTree(file.toFile())) {
                tapped.add(record.path("userId").asText());
            }
        }
        Set<String> live = new HashSet<>(sim.renderAll().stream().map(u -> u.path("userId").asText()).toList());
        assertEquals(live, tapped, "the files hold every user the platform sent");
        assertEquals(USERS, count("SELECT COUNT(*) FROM crm_user"), "and every user landed once");
        assertEquals("{}", query("SELECT cursor FROM sync_state").get(0).get(0), "the scan completed");
    }

    @Test
    void aLogAThrottleAndASecondEndpointBetweenTheStagesSeeEveryPageInOrderAndChangeNothing() throws Exception {
        AdviceWith.adviceWith(context, ROUTE, route -> route.weaveByToUri("botsync:warehouse").before()
                .log("${header.CamelBotsyncSource} page ${header.CamelBotsyncPage}: ${body}")
                .throttle(20).timePeriodMillis(1000)
                .to("mock:audit"));
        context.start();
        MockEndpoint audit = getMockEndpoint("mock:audit");
        audit.expectsAscending(header(PageHeaders.PAGE));
        audit.allMessages().body().isInstanceOf(MappedPage.class);
        audit.allMessages().header(PageHeaders.SOURCE).isEqualTo("mercury");
        audit.message(0).header(PageHeaders.PAGE).isEqualTo(1);

        RunResult first = sync.sync("mercury");

        assertEquals(RunResult.Status.SUCCEEDED, first.status(), first.summary());
        audit.expectedMessageCount((int) count("SELECT COUNT(*) FROM raw_page"));
        audit.setResultWaitTime(1); // the run has returned: every page has passed the mock
        audit.assertIsSatisfied();
        assertEquals(USERS, count("SELECT COUNT(*) FROM crm_user"));
        assertEquals(USERS, first.counts().inserted());
        RunResult again = sync.sync("mercury");
        assertEquals(0, again.counts().written(), "a rerun through the same steps writes nothing: " + again.summary());
    }

    @Test
    void aStepThatDropsAPageStopsTheRunBeforeItAndTheNextRunReadsItAgain() throws Exception {
        AtomicBoolean dropping = new AtomicBoolean(true);
        AdviceWith.adviceWith(context, ROUTE, route -> route.weaveByToUri("botsync:warehouse").before()
                .choice().when(exchange -> dropping.get() && exchange.getMessage().getHeader(PageHeaders.PAGE, Integer.class) == 3)
                .stop().end());
        context.start();

        RunResult dropped = sync.sync("mercury");

        assertEquals(RunResult.Status.FAILED, dropped.status(), dropped.summary());
        assertTrue(dropped.error().contains("page 3 of mercury run 1 did not reach botsync:warehouse"), dropped.error());
        long kept = count("SELECT COUNT(*) FROM crm_user");
        assertTrue(kept >= 2 * PAGE - 1 && kept <= 2 * PAGE, "pages 1 and 2 committed, nothing after: " + kept);
        assertEquals(List.of(List.of("failed", kept)), query("SELECT status, inserted FROM sync_run"));

        dropping.set(false);
        RunResult next = sync.sync("mercury");
        assertEquals(RunResult.Status.SUCCEEDED, next.status(), next.summary());
        assertEquals(USERS - kept, next.counts().inserted(), "the next run starts at the dropped page");
        assertEquals(0, next.counts().deleted(), "and flags nobody deleted");
        assertEquals(USERS, count("SELECT COUNT(*) FROM crm_user"));
    }

    @Test
    void aFaultWovenBetweenMappingAndWarehouseFailsThatPageAndTheRerunEndsLikeACleanRun() throws Exception {
        AtomicBoolean faulty = new AtomicBoolean(true);
        AdviceWith.adviceWith(context, ROUTE, route -> route.weaveByToUri("botsync:warehouse").before().process(exchange -> {
            if (faulty.get() && exchange.getMessage().getHeader(PageHeaders.PAGE, Integer.class) == 4) {
                throw new IllegalStateException("a fault woven in before page 4's commit");
            }
        }));
        context.start();

        RunResult failed = sync.sync("mercury");

        assertEquals(RunResult.Status.FAILED, failed.status(), failed.summary());
        assertEquals("mercury: a fault woven in before page 4's commit", failed.error());
        long kept = count("SELECT COUNT(*) FROM crm_user");
        assertTrue(kept >= 3 * PAGE - 2 && kept <= 3 * PAGE, "pages 1 to 3 committed: " + kept);
        assertEquals(kept, count("SELECT inserted FROM sync_run"), "the run counts what was committed");
        String cursor = (String) query("SELECT cursor FROM sync_state").get(0).get(0);
        assertTrue(cursor.contains("startId"), "the cursor is page 3's: " + cursor);

        faulty.set(false);
        RunResult rerun = sync.sync("mercury");
        assertEquals(RunResult.Status.SUCCEEDED, rerun.status(), rerun.summary());
        assertEquals(USERS - kept, rerun.counts().inserted());
        assertFalse(query("SELECT external_id FROM crm_user GROUP BY external_id HAVING COUNT(*) > 1").iterator().hasNext());
        assertEquals(USERS, count("SELECT COUNT(*) FROM crm_user WHERE NOT deleted"));
    }

    private long count(String sql) throws SQLException {
        return (Long) query(sql).get(0).get(0);
    }

    private List<List<Object>> query(String sql) throws SQLException {
        return TestDatabases.rows(url, sql);
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            Thread.sleep(20);
        }
    }
}
