package io.botsync.source.instabot;

import io.botsync.source.Concurrency;
import io.botsync.source.MaxPages;
import io.botsync.source.Pass;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceReader;
import java.time.Clock;
import java.time.Duration;

/**
 * Reads one Instabot account. Settings (under {@code botsync.<source>.}):
 * <ul>
 *   <li>{@code base-url}, {@code api-key}, {@code master-api-key}: required;</li>
 *   <li>{@code page-size} (default and maximum 100: Instabot returns at most 100 a page; at least 2);</li>
 *   <li>{@code lookback} (default {@code 10m}): how far before the cursor an incremental read begins;</li>
 *   <li>{@code page-overlap} (default 5, or half a smaller page; at least 1, less than the page size): how many
 *       records each page repeats of the one before;</li>
 *   <li>{@code max-rereads} (default 3): how often one read may start over before the source fails;</li>
 *   <li>{@code max-pages} (default {@link MaxPages#DEFAULT}): the most pages one pass may ask for;</li>
 *   <li>{@code concurrency} (default {@link Concurrency#DEFAULT}): the most page requests in flight at once.</li>
 * </ul>
 */
final class InstabotReader implements SourceReader {

    static final int MAX_PAGE_SIZE = 100;
    static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(10);
    static final int DEFAULT_OVERLAP = 5;
    static final int DEFAULT_MAX_REREADS = 3;

    private final SourceConfig config;
    private final InstabotRequests requests;
    private final Clock clock;
    private final int pageSize;
    private final int overlap;
    private final int maxRereads;
    private final Duration lookback;
    private final MaxPages maxPages;
    private final Concurrency concurrency;

    InstabotReader(SourceConfig config, PlatformHttp http) {
        this(config, http, Clock.systemUTC());
    }

    InstabotReader(SourceConfig config, PlatformHttp http, Clock clock) {
        this.config = config;
        this.requests = new InstabotRequests(config, http);
        this.clock = clock;
        this.pageSize = Math.min(MAX_PAGE_SIZE, config.pageSize(MAX_PAGE_SIZE));
        if (pageSize < 2) {
            throw new IllegalArgumentException(config.key("page-size") + " must be at least 2 (pages overlap by at least one user)");
        }
        this.overlap = config.getInt("page-overlap", Math.min(DEFAULT_OVERLAP, pageSize / 2));
        if (overlap < 1 || overlap >= pageSize) {
            throw new IllegalArgumentException(config.key("page-overlap") + " must be at least 1 and less than "
                    + config.key("page-size") + " (" + pageSize + ")");
        }
        this.maxRereads = config.getInt("max-rereads", DEFAULT_MAX_REREADS);
        if (maxRereads < 0) {
            throw new IllegalArgumentException(config.key("max-rereads") + " must not be negative");
        }
        this.maxPages = MaxPages.of(config);
        this.concurrency = Concurrency.of(config);
        this.lookback = config.lookback(DEFAULT_LOOKBACK);
        if (lookback.isNegative()) {
            throw new IllegalArgumentException(config.key("lookback") + " must not be negative");
        }
    }

    @Override
    public Pass open(String committedCursor, boolean full) {
        InstabotCursor start = InstabotCursor.parse(committedCursor, config);
        return new InstabotPass(this, start, full || start == null, clock.instant(), concurrency.fresh());
    }

    SkipPager pager(String path, String since, Concurrency concurrency) {
        return new SkipPager(requests, config, path, since, pageSize, overlap, maxRereads, concurrency);
    }

    Duration lookback() {
        return lookback;
    }

    MaxPages maxPages() {
        return maxPages;
    }
}
