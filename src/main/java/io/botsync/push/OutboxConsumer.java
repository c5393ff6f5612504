package io.botsync.push;

import io.botsync.cluster.Cluster;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@code botsync:outbox/<target>}: a poll of its schedule is one push round ({@link OutboxRound}), and
 * {@link #round} and {@link #retryParked} are how {@code push} asks for one. Two rounds of a target never overlap in
 * this process: a second one is skipped. Under the one-shot commands the schedule never fires.
 */
public final class OutboxConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxConsumer.class);

    private final OutboxEndpoint endpoint;
    private final AtomicBoolean running = new AtomicBoolean();

    OutboxConsumer(OutboxEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    Feed feed() {
        return endpoint.feed();
    }

    public String target() {
        return endpoint.getTarget();
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
        if (!endpoint.pipeline().scheduling()) {
            setStartScheduler(false);
        }
        super.doStart();
        endpoint.push().started(this);
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.push().stopped(this);
        super.doStop();
    }

    /** Quartz keeps a trigger even for a consumer whose scheduler never started: a firing for one is refused here. */
    @Override
    protected boolean isPollAllowed() {
        return super.isPollAllowed() && endpoint.pipeline().scheduling() && isStartScheduler();
    }

    /**
     * One scheduled round. Its outcome is in the log, the metrics and the health; nothing is thrown to the scheduler,
     * which would log a stack trace. A round the warehouse failed under (it went away) fails, and the next one starts
     * from the position it committed last.
     */
    @Override
    protected int poll() {
        try {
            PushResult result = round();
            return (int) (result.delivered() + result.parked());
        } catch (RuntimeException e) {
            String error = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.warn("{}: push stopped; the next push resumes from its last committed position: {}", target(), error);
            endpoint.push().finished(new PushResult(target(), PushResult.Status.FAILED, 0, 0, 0, -1, error));
            return 0;
        }
    }

    /** One round: the parked changes first when the endpoint says {@code retryParked=true}, then the outbox. */
    public PushResult round() {
        return exclusively(false);
    }

    /** Sends the target's parked changes again; those it takes are forgotten, those it refuses stay parked. */
    public PushResult retryParked() {
        return exclusively(true);
    }

    private PushResult exclusively(boolean parkedOnly) {
        if (!running.compareAndSet(false, true)) {
            LOG.info("{}: a push is still running; this one is skipped", target());
            return new PushResult(target(), PushResult.Status.SKIPPED, 0, 0, 0, -1, "a push of this target is still running");
        }
        try {
            PushResult result = new OutboxRound(endpoint, this, getProcessor()).run(parkedOnly || endpoint.isRetryParked(),
                    !parkedOnly);
            endpoint.push().finished(result);
            return result;
        } finally {
            running.set(false);
        }
    }
}
