package io.botsync.sync;

import io.botsync.mapping.Mapping;
import io.botsync.model.Rejection;
import io.botsync.source.Page;
import io.botsync.warehouse.PageWrite;
import io.botsync.warehouse.RawPage;
import io.botsync.warehouse.Warehouse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.UnitOfWorkHelper;

/**
 * What happens to a page once its source's fetching thread has it. {@code botsync-map-<source>} maps it and compresses
 * it for landing, on the fetching thread itself (a direct route). {@code botsync-write-<source>} commits it, on a thread
 * of its own fed by a bounded SEDA queue. Fetching and writing so overlap, while memory stays bounded by the queue size:
 * a full queue blocks the fetching thread. One consumer keeps a source's pages, and so its cursors, in order.
 *
 * <p>Mapping used to be a stage of its own, on a third thread behind a second queue. On 2 cores it cost more than it
 * gained: the records it maps were parsed moments before on the other core, and the handover costs too. With mapping
 * on the fetching thread, a 1M sync ran 7-8% faster: PostgreSQL 34.5-35.0 s against 37.1-37.4, H2 40.2-41.0 against
 * 44.0-44.2. At 50 ms a page, mapping now adds to each page's wait: overlap 1.09 against 1.04, still within 1.15.
 */
final class PipelineRoutes extends RouteBuilder {

    /** A fetched page of one run on its way to the mapper: the body of the map route's exchanges. */
    record MapJob(RunTracker run, long runId, String source, Mapping mapping, Page page, Instant fetchedAt,
                  PageWrite.ScanStep scan, boolean lands, boolean rewrite) {
    }

    /** One mapped page of one run on its way to the warehouse: the body of the write stage's exchanges. */
    record PageJob(RunTracker run, PageWrite write) {
    }

    /**
     * The most pages one transaction commits. When the writer falls behind, it takes every page of the run already
     * waiting in its queue (up to this) into one transaction: one commit (and on PostgreSQL one WAL flush) for all.
     * Rows and cursor still commit together; the cursor is the last page's. Should one page fail, the group is committed
     * again page by page, so the pages before it land as they would have alone.
     */
    static final int MAX_GROUP = 16;

    private final List<String> sources;
    private final Warehouse warehouse;
    private final int queuePages;
    private final PageMapper mapper = new PageMapper();

    PipelineRoutes(List<String> sources, Warehouse warehouse, int queuePages) {
        this.sources = sources;
        this.warehouse = warehouse;
        this.queuePages = queuePages;
    }

    static String mapEndpoint(String source) {
        return "direct:botsync-map-" + source;
    }

    static String writeEndpoint(String source, int queuePages) {
        return "seda:botsync-write-" + source + options(queuePages);
    }

    /**
     * A bounded queue that blocks the fetching thread when full. An idle consumer polls every 100 ms, not every
     * second (SEDA's default): Camel stops the writers of every known source one after the other, and each stops
     * only when its poll times out, so a shutdown would otherwise take a second per source.
     */
    private static String options(int queuePages) {
        return "?size=" + queuePages + "&blockWhenFull=true&pollTimeout=100";
    }

    @Override
    public void configure() {
        for (String source : sources) {
            from(mapEndpoint(source))
                    .routeId("botsync-map-" + source)
                    .process(this::map)
                    .to(writeEndpoint(source, queuePages));
            from(writeEndpoint(source, queuePages))
                    .routeId("botsync-write-" + source)
                    .process(this::write);
        }
    }

    /** Failures are the run's, reported by the sync itself: nothing reaches Camel's error handler or its logs. */
    private void map(Exchange exchange) {
        MapJob job = exchange.getMessage().getBody(MapJob.class);
        try {
            if (job.run().writeFailure() == null) {
                exchange.getMessage().setBody(new PageJob(job.run(), mapped(job)));
                return;
            }
        } catch (RuntimeException e) {
            job.run().writeFailed(e);
        }
        job.run().pageDone();
        exchange.setRouteStop(true);
    }

    private PageWrite mapped(MapJob job) {
        Page page = job.page();
        PageMapper.Mapped mapped = mapper.map(job.source(), job.mapping(), page.records());
        List<Rejection> rejections = new ArrayList<>(page.unreadable());
        rejections.addAll(mapped.rejections());
        RawPage raw = job.lands() ? RawPage.of(page.records(), page.request(), job.fetchedAt()) : null;
        return new PageWrite(job.runId(), job.source(), page.records().size() + page.unreadable().size(), mapped.users(),
                rejections, page.cursor(), job.scan(), raw, job.rewrite());
    }

    private void write(Exchange exchange) {
        List<Exchange> taken = takeWaiting(exchange);
        List<PageJob> group = new ArrayList<>();
        group.add(exchange.getMessage().getBody(PageJob.class));
        taken.forEach(next -> group.add(next.getMessage().getBody(PageJob.class)));
        RunTracker run = group.get(0).run();
        try {
            if (run.writeFailure() == null) {
                commit(group.stream().map(PageJob::write).toList(), run);
            }
        } catch (RuntimeException e) {
            run.writeFailed(e);
        } finally {
            group.forEach(job -> run.pageDone());
            // what a consumer would do when done with them: run the completions handed over with each exchange
            taken.forEach(next -> UnitOfWorkHelper.doneSynchronizations(next, next.getExchangeExtension().handoverCompletions()));
        }
    }

    private void commit(List<PageWrite> writes, RunTracker run) {
        if (run.rehearsal() != null) {
            writes.forEach(write -> run.pageWritten(run.rehearsal().write(write)));
            return;
        }
        try {
            warehouse.write(writes).forEach(run::pageWritten);
        } catch (RuntimeException e) {
            if (writes.size() == 1) {
                throw e;
            }
            // a page of the group failed and took the others with it: commit them one by one instead, so that the
            // pages before it land, as they would have without grouping, and the failure is that page's alone
            writes.forEach(write -> run.pageWritten(warehouse.write(write)));
        }
    }

    /**
     * The exchanges of the same run waiting behind this one, taken from the queue (SEDA has no batch consumer): only
     * this route's single consumer takes from it, so a head it peeked at is still there to be polled.
     */
    private static List<Exchange> takeWaiting(Exchange exchange) {
        RunTracker run = exchange.getMessage().getBody(PageJob.class).run();
        BlockingQueue<Exchange> queue = ((SedaEndpoint) exchange.getFromEndpoint()).getQueue();
        List<Exchange> taken = new ArrayList<>();
        while (taken.size() < MAX_GROUP - 1) {
            Exchange next = queue.peek();
            if (next == null || next.getMessage().getBody(PageJob.class).run() != run) {
                break;
            }
            taken.add(queue.poll());
        }
        return taken;
    }
}
