package io.botsync.sync;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * {@code botsync:source/<account>}: the pages of one account of a platform, read from the committed cursor, one
 * exchange a page. Each poll of the schedule ({@code scheduler=quartz&scheduler.cron=...}, Camel's scheduled-poll
 * options) is one run of the account; {@code sync}, {@code replay} and {@code import} ask the same consumer for runs.
 * The run's life is the consumer's: its {@code sync_run} row, single flight, the mass-delete gate, the flags of a
 * completed full scan, progress lines, and stopping after the current page.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync source", syntax = "botsync:source/account",
        consumerOnly = true, remote = false, category = {Category.SAAS})
public final class SourceEndpoint extends ScheduledPollEndpoint implements BotsyncComponent.Checked, BotsyncComponent.OnDemand {

    /** Pages fetched and not yet committed, by default: the bound of a run's memory. */
    static final int DEFAULT_PAGES_IN_FLIGHT = 32;

    private final Pipeline pipeline;

    @UriPath(description = "The account: crm_user.source, and the middle of its keys botsync.<account>.*")
    @Metadata(required = true)
    private final String account;

    @UriParam(description = "The account's platform (instabot, stepchat, mercury); default the account's"
            + " botsync.<account>.platform, or the account's own name when it names a platform")
    private String platform;

    @UriParam(defaultValue = "false", description = "Every scheduled run reads every user (a full scan), whatever the"
            + " cursor says; a completed one flags the users it did not see as deleted")
    private boolean full;

    @UriParam(defaultValue = "" + DEFAULT_PAGES_IN_FLIGHT, description = "The most pages of a run fetched and not yet"
            + " committed: fetching runs ahead of writing by at most this many pages")
    private int pagesInFlight = DEFAULT_PAGES_IN_FLIGHT;

    private Source source;

    SourceEndpoint(String uri, Component component, Pipeline pipeline, String account) {
        super(uri, component);
        this.pipeline = pipeline;
        this.account = account;
    }

    /** Without a schedule option, a source polls every 15 minutes (Camel's default, 500 ms, would never rest). */
    @Override
    public long getDefaultDelay() {
        return TimeUnit.MINUTES.toMillis(15);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " is a source of pages: use it in a route's from");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SourceConsumer consumer = new SourceConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * Declares the account with its platform, once the options are set.
     *
     * @throws ConfigException naming the platforms there are, or the platform the account already has
     */
    @Override
    public void check() {
        if (pagesInFlight < 1) {
            throw new ConfigException("pagesInFlight=" + pagesInFlight + " on " + getEndpointUri() + ": set 1 or more");
        }
        String named = platform;
        if (named == null || named.isBlank()) {
            named = pipeline.sources().platformOf(account).orElseThrow(() -> new ConfigException(getEndpointUri()
                    + " names no platform: add platform=instabot, stepchat or mercury"));
        }
        source = pipeline.sources().declare(account, named);
        pipeline.endpointCreated(account);
    }

    /**
     * The schedule this route fires on under {@code run}: its Quartz cron, or Camel's scheduler's delay; empty when its
     * scheduler is not started ({@code startScheduler=false}) or the account's keys are not set.
     */
    Optional<Schedule> schedule() {
        if (!isStartScheduler() || !source.configured()) {
            return Optional.empty();
        }
        Map<String, Object> options = getSchedulerProperties() == null ? Map.of() : getSchedulerProperties();
        Object cron = options.get("cron");
        if (cron == null) {
            return Optional.of(Schedule.every(Duration.ofMillis(getTimeUnit().toMillis(getDelay()))));
        }
        Object zone = options.get("timeZone");
        return Optional.of(Schedule.cron(cron.toString(), zone instanceof TimeZone given ? given
                : zone == null ? TimeZone.getDefault() : TimeZone.getTimeZone(zone.toString())));
    }

    Pipeline pipeline() {
        return pipeline;
    }

    Source source() {
        return source;
    }

    public String getAccount() {
        return account;
    }

    public String getPlatform() {
        return platform;
    }

    public void setPlatform(String platform) {
        this.platform = platform;
    }

    public boolean isFull() {
        return full;
    }

    public void setFull(boolean full) {
        this.full = full;
    }

    public int getPagesInFlight() {
        return pagesInFlight;
    }

    public void setPagesInFlight(int pagesInFlight) {
        this.pagesInFlight = pagesInFlight;
    }
}
