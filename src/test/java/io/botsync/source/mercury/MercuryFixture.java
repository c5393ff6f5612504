package io.botsync.source.mercury;

import io.botsync.sim.mercury.MercurySimulator;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;

/** A real Mercury simulator on loopback and a real Camel context, and readers pointed at the one through the other. */
final class MercuryFixture implements AutoCloseable {

    static final String SOURCE = "mercury";

    final MercurySimulator sim;
    private final DefaultCamelContext camel = new DefaultCamelContext();

    MercuryFixture(int users, long seed) {
        sim = new MercurySimulator(users, seed);
        camel.start();
    }

    /** The source's configuration: the simulator's properties, then {@code suffix, value} pairs over them. */
    SourceConfig config(String... overrides) {
        Map<String, String> properties = new HashMap<>(sim.sourceProperties(SOURCE));
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put("botsync." + SOURCE + "." + overrides[i], overrides[i + 1]);
        }
        return new SourceConfig(SOURCE, "mercury", properties::get);
    }

    SourceReader reader(String... overrides) {
        return new MercuryPlatform().reader(config(overrides), new PlatformHttp(camel.createProducerTemplate(), SOURCE));
    }

    /** Reads a pass to its last page, failing past a bound a finished scan never needs. */
    static List<Page> drain(Pass pass) {
        List<Page> pages = new ArrayList<>();
        while (pages.isEmpty() || !pages.get(pages.size() - 1).last()) {
            if (pages.size() > 10_000) {
                throw new AssertionError("the pass did not end");
            }
            pages.add(pass.next());
        }
        return pages;
    }

    static List<String> userIds(List<Page> pages) {
        return pages.stream().flatMap(page -> page.records().stream()).map(record -> record.path("userId").asText()).toList();
    }

    @Override
    public void close() {
        sim.close();
        camel.stop();
    }
}
