package io.botsync.push;

import io.botsync.sync.BotsyncComponent;
import io.botsync.sync.ConfigException;
import io.botsync.sync.Pipeline;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
 * {@code botsync:outbox/<target>}: the warehouse's changes ({@code user_change}) after the target's committed
 * position, in order, one exchange a batch. Each poll of its schedule is one push round; {@code push} asks the same
 * consumer for one. The position moves past a batch only when its exchange completed: delivered, or parked by the
 * route's error handling ({@code botsync:park}). At least once, in order.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync outbox", syntax = "botsync:outbox/target",
        consumerOnly = true, remote = false, category = {Category.SAAS})
public final class OutboxEndpoint extends ScheduledPollEndpoint implements BotsyncComponent.Checked, BotsyncComponent.OnDemand {

    private final PushService push;
    private final Pipeline pipeline;

    @UriPath(description = "The push target: its position in push_position, its parked changes in push_parked")
    @Metadata(required = true)
    private final String target;

    @UriParam(defaultValue = "100", description = "Changes a batch (an exchange) holds at most")
    private int batchSize = 100;

    @UriParam(defaultValue = "beginning", enums = "beginning,now", description = "Where a target without a position"
            + " starts: every change in the outbox (beginning), or only those made from its first round on (now)")
    private String from = "beginning";

    @UriParam(defaultValue = "users", enums = "users,contacts", description = "What the target is sent: platform users'"
            + " changes (users), or contacts' changes (contacts: people resolved across sources, README \"Contacts\")")
    private String entity = "users";

    @UriParam(description = "Only these sources' users (comma-separated); default every source")
    private String sources;

    @UriParam(defaultValue = "false", description = "Deletions are passed over, not sent (a platform is never told to"
            + " delete a user)")
    private boolean skipDeleted;

    @UriParam(description = "Users of every account of this platform are passed over (never pushed back where they"
            + " came from)")
    private String skipPlatform;

    @UriParam(defaultValue = "false", description = "Each round first sends the parked changes again, and forgets those"
            + " the target now takes")
    private boolean retryParked;

    OutboxEndpoint(String uri, Component component, PushService push, Pipeline pipeline, String target) {
        super(uri, component);
        this.push = push;
        this.pipeline = pipeline;
        this.target = target;
    }

    /** Without a schedule option, a round every 30 seconds. */
    @Override
    public long getDefaultDelay() {
        return TimeUnit.SECONDS.toMillis(30);
    }

    @Override
    public void check() {
        if (batchSize < 1) {
            throw new ConfigException("batchSize=" + batchSize + " on " + getEndpointUri() + ": set 1 or more");
        }
        if (!from.equals("beginning") && !from.equals("now")) {
            throw new ConfigException("from=" + from + " on " + getEndpointUri() + ": set beginning or now");
        }
        if (!entity.equals("users") && !entity.equals("contacts")) {
            throw new ConfigException("entity=" + entity + " on " + getEndpointUri() + ": set users or contacts");
        }
        if (feed() == Feed.CONTACTS && (sources != null && !sources.isBlank() || skipPlatform != null && !skipPlatform.isBlank())) {
            throw new ConfigException("entity=contacts on " + getEndpointUri() + " sends people, not one source's users:"
                    + " leave out sources and skipPlatform, or set entity=users");
        }
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " is a source of changes: use it in a route's from");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        OutboxConsumer consumer = new OutboxConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    PushService push() {
        return push;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** Whether a change is this target's business; the others are passed over. */
    boolean takes(PushChange change) {
        String source = change.user().source();
        return !change.superseded()
                && (sources == null || sources.isBlank() || sourceSet().contains(source))
                && !(skipDeleted && change.deleted())
                && !(skipPlatform != null && pipeline.sources().platformOf(source).filter(skipPlatform::equals).isPresent());
    }

    private Set<String> sourceSet() {
        return Arrays.stream(sources.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    Feed feed() {
        return Feed.of(entity);
    }

    public String getEntity() {
        return entity;
    }

    public void setEntity(String entity) {
        this.entity = entity;
    }

    public String getTarget() {
        return target;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getSources() {
        return sources;
    }

    public void setSources(String sources) {
        this.sources = sources;
    }

    public boolean isSkipDeleted() {
        return skipDeleted;
    }

    public void setSkipDeleted(boolean skipDeleted) {
        this.skipDeleted = skipDeleted;
    }

    public String getSkipPlatform() {
        return skipPlatform;
    }

    public void setSkipPlatform(String skipPlatform) {
        this.skipPlatform = skipPlatform;
    }

    public boolean isRetryParked() {
        return retryParked;
    }

    public void setRetryParked(boolean retryParked) {
        this.retryParked = retryParked;
    }
}
