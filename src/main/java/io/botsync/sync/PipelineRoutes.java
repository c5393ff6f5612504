package io.botsync.sync;

import io.botsync.warehouse.PageWrite;
import io.botsync.warehouse.Warehouse;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;

/**
 * The write half of the pipeline: one route per source that takes mapped pages from a bounded SEDA queue and
 * commits each in one transaction. The fetching thread blocks when the queue is full, so fetching the next page
 * overlaps writing this one while memory stays bounded by the queue size. One consumer per source keeps a
 * source's pages, and so its cursors, in order.
 */
final class PageWriterRoutes extends RouteBuilder {

    /** One page of one run on its way to the warehouse: the body of the exchange. */
    record PageJob(RunTracker run, PageWrite write) {
    }

    private final List<String> sources;
    private final Warehouse warehouse;
    private final int queuePages;

    PageWriterRoutes(List<String> sources, Warehouse warehouse, int queuePages) {
        this.sources = sources;
        this.warehouse = warehouse;
        this.queuePages = queuePages;
    }

    static String endpoint(String source, int queuePages) {
        return "seda:botsync-write-" + source + "?size=" + queuePages + "&blockWhenFull=true";
    }

    @Override
    public void configure() {
        for (String source : sources) {
            from(endpoint(source, queuePages))
                    .routeId("botsync-write-" + source)
                    .process(exchange -> write(exchange.getMessage().getBody(PageJob.class)));
        }
    }

    /** Failures are the run's, reported by the sync itself: nothing reaches Camel's error handler or its logs. */
    private void write(PageJob job) {
        try {
            if (job.run().writeFailure() == null) {
                job.run().pageWritten(job.run().rehearsal() == null ? warehouse.write(job.write())
                        : job.run().rehearsal().write(job.write()));
            }
        } catch (RuntimeException e) {
            job.run().writeFailed(e);
        } finally {
            job.run().pageDone();
        }
    }
}
