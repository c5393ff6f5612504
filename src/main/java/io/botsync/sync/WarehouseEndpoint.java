package io.botsync.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code botsync:warehouse}: commits a mapped page ({@link MappedPage}) in one transaction: its new and changed users,
 * its rejects, the run's counts, the cursor that follows it, the landed raw page and a change event per changed user.
 * The producer is asynchronous: it queues the page for its source's writer and returns, so the source fetches the
 * next pages while this one commits; the exchange completes when the page has committed (or failed). Pages commit in
 * their run's order; one that arrives before the page due (a step between the stages dropped or reordered pages) is
 * refused, and its run stops there. When the writer falls behind, it commits the run's waiting pages together.
 * Once committed, the exchange's body is the page's {@link io.botsync.warehouse.PageCounts} (fetched, inserted,
 * updated, unchanged, deleted, rejected), for steps after this one.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync warehouse", syntax = "botsync:warehouse",
        producerOnly = true, remote = false, category = {Category.DATABASE})
public final class WarehouseEndpoint extends DefaultEndpoint implements BotsyncComponent.Checked {

    /** The most pages one transaction commits, by default (see {@link PageWriter}). */
    static final int DEFAULT_MAX_GROUP = 16;

    private final Pipeline pipeline;
    private final Map<String, PageWriter> writers = new ConcurrentHashMap<>();
    private ExecutorService executor;

    @UriParam(defaultValue = "" + DEFAULT_MAX_GROUP, description = "The most waiting pages of a run that one"
            + " transaction commits when the writer falls behind (one commit for all of them; 1 commits page by page)")
    private int maxGroup = DEFAULT_MAX_GROUP;

    WarehouseEndpoint(String uri, Component component, Pipeline pipeline) {
        super(uri, component);
        this.pipeline = pipeline;
    }

    @Override
    public void check() {
        if (maxGroup < 1) {
            throw new ConfigException("maxGroup=" + maxGroup + " on " + getEndpointUri() + ": set 1 or more");
        }
    }

    public int getMaxGroup() {
        return maxGroup;
    }

    public void setMaxGroup(int maxGroup) {
        this.maxGroup = maxGroup;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // writers come and go with the sources that sync; an idle one gives its thread back
        executor = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "botsync-write");
    }

    @Override
    protected void doStop() throws Exception {
        getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
        writers.clear();
        super.doStop();
    }

    @Override
    public Producer createProducer() {
        return new DefaultAsyncProducer(this) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return write(exchange, callback);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " writes pages: use it in a to step");
    }

    private boolean write(Exchange exchange, AsyncCallback callback) {
        PageWriter.Pending pending;
        try {
            MappedPage page = Bodies.of(exchange, MappedPage.class, getEndpointUri(), "a mapped page from botsync:map");
            pending = PageWriter.Pending.of(page, exchange, callback);
            // the page waits for its commit as rows and compressed bytes only: its parsed records may go
            exchange.getMessage().setBody(null);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        writers.computeIfAbsent(pending.run().source(), source -> new PageWriter(pipeline.warehouse(), executor, maxGroup))
                .submit(pending);
        return false;
    }
}
