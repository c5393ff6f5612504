package io.botsync.sync;

import io.botsync.mapping.Mapping;
import io.botsync.mapping.MappingException;
import io.botsync.model.Rejection;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code botsync:map/<mapping>}: maps a page ({@link FetchedPage}) with {@code mappings/<mapping>.jslt} and the
 * normaliser into canonical users and rejects ({@link MappedPage}). The mapping is compiled when the endpoint is made
 * (a syntax error stops start-up, naming the file) and read again at each run's first page, so an edit lands on the
 * next run. A record the mapping or the normaliser refuses becomes a reject with its reason; the page goes on.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "botsync", title = "botsync map", syntax = "botsync:map/mapping",
        producerOnly = true, remote = false, category = {Category.TRANSFORMATION})
public final class MapEndpoint extends DefaultEndpoint implements BotsyncComponent.Checked {

    private final Pipeline pipeline;
    private final PageMapper mapper = new PageMapper();

    @UriPath(description = "The mapping's name: the file mappings/<mapping>.jslt, or the built-in one of that name"
            + " (instabot, stepchat, mercury)")
    @Metadata(required = true)
    private final String mapping;

    MapEndpoint(String uri, Component component, Pipeline pipeline, String mapping) {
        super(uri, component);
        this.pipeline = pipeline;
        this.mapping = mapping;
    }

    /** @throws MappingException when the mapping is missing or does not compile, naming the file and position */
    @Override
    public void check() {
        pipeline.mappings().forPlatform(mapping);
    }

    public String getMapping() {
        return mapping;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                map(exchange);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " maps pages: use it in a to step");
    }

    private void map(Exchange exchange) {
        FetchedPage page = Bodies.of(exchange, FetchedPage.class, getEndpointUri(), "a page from botsync:source");
        RunTracker run = page.ticket().run();
        Mapping compiled = run.mapping(mapping, pipeline.mappings()::forPlatform);
        PageMapper.Mapped mapped = mapper.map(run.source(), compiled, page.records());
        List<Rejection> rejections = new ArrayList<>(page.unreadable());
        rejections.addAll(mapped.rejections());
        exchange.getMessage().setBody(new MappedPage(mapped.users(), rejections, page));
    }
}
