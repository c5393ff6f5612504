package io.botsync.source.instabot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/** A real simulator on loopback and a real Camel context, and a way to drive whole passes of the real reader. */
final class InstabotFixture implements AutoCloseable {

    final InstabotSimulator sim;
    final CamelContext camel;
    final ProducerTemplate template;

    InstabotFixture(int users, long seed) {
        sim = new InstabotSimulator(users, seed);
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
    }

    /** The reader as the pipeline builds it: through the Platform SPI, from properties. */
    SourceReader reader(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(sim.sourceProperties("instabot"));
        properties.putAll(overrides);
        SourceConfig config = new SourceConfig("instabot", "instabot", properties::get);
        return new InstabotPlatform().reader(config, new PlatformHttp(template, "instabot"));
    }

    /** What one whole pass returned: users by objectId (the last version read), every page, the cursor it ends with. */
    record Run(Map<String, ObjectNode> users, List<Page> pages, String cursor, boolean fullScan) {

        List<String> requests() {
            return pages.stream().map(Page::request).toList();
        }
    }

    static Run run(SourceReader reader, String cursor, boolean full) {
        Pass pass = reader.open(cursor, full);
        Map<String, ObjectNode> users = new LinkedHashMap<>();
        List<Page> pages = new ArrayList<>();
        Page page;
        do {
            page = pass.next();
            pages.add(page);
            page.records().forEach(user -> users.put(user.get("objectId").asText(), user));
            if (pages.size() > 10_000) {
                throw new AssertionError("the pass did not end");
            }
        } while (!page.last());
        return new Run(users, pages, page.cursor(), pass.fullScan());
    }

    List<String> liveIds() {
        return sim.liveIds().stream().map(String::valueOf).toList();
    }

    @Override
    public void close() {
        template.stop();
        camel.stop();
        sim.close();
    }
}
