package io.botsync.push;

import io.botsync.model.CanonicalUser;
import io.botsync.source.Platform;
import io.botsync.source.SourceConfig;
import io.botsync.source.UserWriter;
import io.botsync.sync.BotsyncComponent;
import io.botsync.sync.ConfigException;
import io.botsync.sync.Pipeline;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code botsync:platform/<target>?platform=stepchat}: writes each change's user to a chatbot platform, with the
 * target's keys ({@code botsync.push.<target>.*}, as a source of that platform takes them). Each user is created there
 * once; the id the platform gives it is kept in {@code push_link} right after the platform answers, so that its later
 * changes update that same user. The platform's refusal of a user ({@link io.botsync.source.UserRejectedException})
 * is the route's to park; an unreachable platform or refused credentials fail the exchange.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync platform write", syntax = "botsync:platform/target",
        producerOnly = true, remote = true, category = {Category.SAAS})
public final class PlatformEndpoint extends DefaultEndpoint implements BotsyncComponent.Checked {

    private final PushService push;
    private final Pipeline pipeline;

    @UriPath(description = "The push target: its keys are botsync.push.<target>.*, its links in push_link")
    @Metadata(required = true)
    private final String target;

    @UriParam(description = "The platform written to: instabot or stepchat")
    @Metadata(required = true)
    private String platform;

    private UserWriter writer;

    PlatformEndpoint(String uri, Component component, PushService push, Pipeline pipeline, String target) {
        super(uri, component);
        this.push = push;
        this.pipeline = pipeline;
        this.target = target;
    }

    @Override
    public void check() {
        Platform named = pipeline.sources().platform(platform).filter(Platform::writable).orElseThrow(() -> new ConfigException(
                "platform=" + platform + " on " + getEndpointUri() + ": set one botsync can write to: "
                        + String.join(", ", pipeline.sources().writablePlatforms())));
        SourceConfig config = new SourceConfig("push." + target, named.name(),
                key -> getCamelContext().getPropertiesComponent().resolveProperty(key).orElse(null));
        List<String> missing = named.requiredKeys().stream().filter(k -> config.get(k).isEmpty()).map(config::key).toList();
        if (!missing.isEmpty()) {
            throw new ConfigException(getEndpointUri() + " needs " + String.join(", ", missing));
        }
        // the push route redelivers; the platform HTTP route's own retries would multiply them
        writer = named.writer(config, pipeline.httpWithoutRetries("push." + target));
    }

    public String getTarget() {
        return target;
    }

    public String getPlatform() {
        return platform;
    }

    public void setPlatform(String platform) {
        this.platform = platform;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                ChangeBatch batch = ChangeBatch.of(exchange, getEndpointUri());
                batch.changes().forEach(change -> write(change.user()));
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " writes to a platform: use it in a to step");
    }

    private void write(CanonicalUser user) {
        Optional<String> linked = push.store().link(target, user);
        if (linked.isPresent()) {
            writer.update(linked.get(), user);
        } else {
            push.store().saveLink(target, user, writer.create(user));
        }
    }
}
