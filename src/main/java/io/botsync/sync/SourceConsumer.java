package io.botsync.sync;

import io.botsync.cluster.Cluster;
import io.botsync.warehouse.PageCounts;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@code botsync:source/<account>}: a poll of its schedule is one run of the account (see
 * {@link SourceRun}), and {@link #run} is how commands ask for one. Either way each page is one exchange, handed to
 * the route asynchronously: while {@code botsync:warehouse} commits a page on its writer, this thread fetches and maps
 * the next ones, up to the endpoint's {@code pagesInFlight}.
 */
public final class SourceConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SourceConsumer.class);

    private final SourceEndpoint endpoint;
    private final Pipeline pipeline;

    SourceConsumer(SourceEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.pipeline = endpoint.pipeline();
    }

    public String account() {
        return endpoint.getAccount();
    }

    boolean fullByDefault() {
        return endpoint.isFull();
    }

    /** Whether the schedule fires runs: under {@code run}, for an account whose keys are set. */
    public boolean scheduled() {
        return pipeline.scheduling() && endpoint.source().configured() && isStartScheduler();
    }

    /** The schedule the account's route fires on under {@code run}, whatever this command does (see SourceEndpoint). */
    public java.util.Optional<Schedule> schedule() {
        return endpoint.schedule();
    }

    /**
     * UP from the start: Camel would report a scheduled-poll consumer DOWN until its first poll, which for a cron of
     * every 15 minutes, a paused account or one without keys is long or never. botsync's own health check says
     * whether the runs fail.
     */
    @Override
    protected HealthCheck.State initialHealthCheckState() {
        return HealthCheck.State.UP;
    }

    /** In a cluster, the route's one trigger in the job store (README, Scaling out). */
    @Override
    protected void afterConfigureScheduler(ScheduledPollConsumerScheduler scheduler, boolean newScheduler) {
        Cluster.nameTrigger(scheduler, getRouteId());
    }

    @Override
    protected void doStart() throws Exception {
        Source source = endpoint.source();
        if (pipeline.scheduling() && isStartScheduler() && !source.configured()) {
            LOG.info("{}: not configured (set {}); its schedule stays stopped", source.name(),
                    String.join(", ", source.missingKeys()));
        }
        if (!pipeline.scheduling() || !source.configured()) {
            setStartScheduler(false);
        }
        super.doStart();
        pipeline.started(this);
    }

    @Override
    protected void doStop() throws Exception {
        pipeline.stopped(this);
        super.doStop();
    }

    /**
     * Only a consumer whose schedule was started polls. Quartz keeps a trigger for every scheduled-poll consumer, even
     * one whose scheduler was never started, so a firing for an unscheduled one is refused here.
     */
    @Override
    protected boolean isPollAllowed() {
        return super.isPollAllowed() && scheduled() && !pipeline.stopping();
    }

    /** One scheduled run. Its outcome is in sync_run, the log and the metrics; nothing is thrown to the scheduler. */
    @Override
    protected int poll() {
        RunRequest request = RunRequest.sync(endpoint.isFull(), false, null);
        try {
            return execute(request).status() == RunResult.Status.SKIPPED ? 0 : 1;
        } catch (RuntimeException e) { // a setting of the source is wrong: fail this run, say which, try again next time
            String error = account() + ": " + Failures.message(e);
            LOG.warn(error);
            pipeline.finished(new RunResult(account(), RunResult.Status.FAILED, request.plannedMode(), PageCounts.ZERO,
                    Duration.ZERO, error));
            return 0;
        }
    }

    /**
     * One run of the account through this consumer's route: what {@code sync}, {@code replay}, {@code import} and the
     * inbox ask for, and what a poll of the schedule does. A run of the account still going on in this process, or in
     * another sharing the warehouse, makes this one a skip, not a wait.
     *
     * <p>The run goes on a thread of its own while the caller waits: a caller that is itself routing an exchange (the
     * inbox's file route) would otherwise have Camel queue the pages' exchanges behind its own, which waits for them.
     *
     * @throws ConfigException when a setting of the source is wrong (e.g. its mass-delete share)
     */
    public RunResult run(RunRequest request) {
        Future<RunResult> run = pipeline.runner().submit(() -> execute(request));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return run.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the run commits page by page and ends on its own; its result is still wanted
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RunResult execute(RunRequest request) {
        RunResult result = new SourceRun(this, endpoint.source(), request, endpoint.getPagesInFlight()).execute();
        pipeline.finished(result);
        return result;
    }

    /**
     * Hands one page to the route without waiting for it to be committed. When its exchange completes, committed,
     * failed or dropped, the run hears of it.
     */
    void emit(FetchedPage page, String mode) {
        Exchange exchange = createExchange(false);
        Message message = exchange.getMessage();
        PageTicket ticket = page.ticket();
        message.setBody(page);
        message.setHeader(PageHeaders.SOURCE, account());
        message.setHeader(PageHeaders.PLATFORM, endpoint.source().platform().name());
        message.setHeader(PageHeaders.RUN_ID, ticket.run().runId());
        message.setHeader(PageHeaders.MODE, mode);
        message.setHeader(PageHeaders.PAGE, ticket.number());
        message.setHeader(PageHeaders.LAST_PAGE, ticket.last());
        message.setHeader(PageHeaders.REQUEST, page.request());
        message.setHeader(PageHeaders.RECORDS, page.records().size());
        try {
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    ticket.run().pageCompleted(ticket, exchange);
                } finally {
                    releaseExchange(exchange, false);
                }
            });
        } catch (RuntimeException e) { // Camel reports a route's failures through the exchange; this is a last resort
            exchange.setException(e);
            ticket.run().pageCompleted(ticket, exchange);
        }
    }

    Pipeline pipeline() {
        return pipeline;
    }
}
