package io.botsync.source;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many page requests of one pass may be in flight at once: {@code botsync.<source>.concurrency} (default
 * {@value #DEFAULT}), until the platform answers 429 Too Many Requests. The first 429 of a pass lowers it to one request
 * at a time for the rest of the pass, and says so once in the log: the platform has said how much it takes, and halving
 * step by step would keep testing its patience. The 429'd request itself is retried by Camel's error handler as any 429
 * is, after what its {@code Retry-After} asks.
 */
public final class Concurrency {

    public static final int DEFAULT = 4;
    /**
     * The most a source may ask for. The platforms' references name no limit; this keeps the reorder buffer (one page a
     * request) small and a misconfigured source from hammering an account with hundreds of requests at once.
     */
    public static final int MAX = 16;

    private static final Logger LOG = LoggerFactory.getLogger(Concurrency.class);

    private final SourceConfig config;
    private final int configured;
    private final AtomicBoolean lowered = new AtomicBoolean();

    private Concurrency(SourceConfig config, int configured) {
        this.config = config;
        this.configured = configured;
    }

    /** The source's setting, checked. */
    public static Concurrency of(SourceConfig config) {
        int configured = config.getInt("concurrency", DEFAULT);
        if (configured < 1 || configured > MAX) {
            throw new IllegalArgumentException(config.key("concurrency") + " is " + configured + "; it must be 1 to " + MAX);
        }
        return new Concurrency(config, configured);
    }

    /** A new pass's: as configured, whatever a 429 did to an earlier pass's. */
    public Concurrency fresh() {
        return new Concurrency(config, configured);
    }

    /** The requests that may be in flight now. */
    public int current() {
        return lowered.get() ? 1 : configured;
    }

    /** The platform answered 429: one request at a time from now on. */
    void tooManyRequests() {
        if (configured > 1 && lowered.compareAndSet(false, true)) {
            LOG.warn("{}: the platform answered 429 Too Many Requests; this pass fetches one page at a time from now on"
                    + " instead of {} ({}); lower it, or set {}, if this happens on every run", config.name(), configured,
                    config.key("concurrency"), config.key("requests-per-second"));
        }
    }
}
