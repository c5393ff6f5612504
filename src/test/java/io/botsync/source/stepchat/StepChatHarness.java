package io.botsync.source.stepchat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.sim.stepchat.StepChatSimulator;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.Platform;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A real simulator on loopback, a real Camel context for {@link PlatformHttp}, and the StepChat reader as the
 * pipeline finds it (through ServiceLoader). {@link #sync} plays the pipeline's part: it reads a pass to its
 * last page and keeps the cursor each page would commit.
 */
final class StepChatHarness implements AutoCloseable {

    final StepChatSimulator sim;
    final DefaultCamelContext camel = new DefaultCamelContext();
    final Map<String, String> properties = new HashMap<>();
    String committedCursor;

    StepChatHarness(int users, long seed) {
        sim = StepChatSimulator.start(users, seed);
        properties.putAll(sim.sourceProperties("stepchat"));
        properties.put("botsync.stepchat.lookback", "10m");
        // each answer here is read once: what a bad answer means, not how it is retried (HttpFaultsTest)
        camel.getPropertiesComponent().addInitialProperty("botsync.http.max-attempts", "1");
        camel.start();
    }

    SourceReader reader() {
        Platform platform = ServiceLoader.load(Platform.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("stepchat")).findFirst().orElseThrow();
        SourceConfig config = new SourceConfig("stepchat", "stepchat", properties::get);
        return platform.reader(config, new PlatformHttp(camel.createProducerTemplate(), "stepchat"));
    }

    /** One pass from the committed cursor, every page committed as it comes. */
    Result sync(boolean full) {
        Pass pass = reader().open(committedCursor, full);
        Result result = new Result(pass.fullScan());
        Page page;
        do {
            page = pass.next();
            result.pages.add(page);
            if (page.cursor() != null) {
                committedCursor = page.cursor();
            }
        } while (!page.last());
        return result;
    }

    @Override
    public void close() {
        camel.stop();
        sim.close();
    }

    static final class Result {
        final boolean fullScan;
        final List<Page> pages = new ArrayList<>();

        Result(boolean fullScan) {
            this.fullScan = fullScan;
        }

        List<ObjectNode> records() {
            return pages.stream().flatMap(p -> p.records().stream()).toList();
        }

        Set<Long> ids() {
            Set<Long> ids = new LinkedHashSet<>();
            records().forEach(r -> ids.add(Long.valueOf(r.get("id").asText())));
            return ids;
        }

        ObjectNode record(long id) {
            return records().stream().filter(r -> r.get("id").asText().equals(String.valueOf(id)))
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("user " + id + " was not read"));
        }
    }
}
