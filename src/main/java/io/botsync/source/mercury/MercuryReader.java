package io.botsync.source.mercury;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.source.MaxPages;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceReader;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one Mercury.ai project. Mercury has no change filter, so every pass is a full scan (the content hash keeps
 * unchanged users unwritten) that pages by {@code startId} from the first user, or from where an unfinished scan's
 * committed cursor says it stopped. See {@link MercuryRequest}, {@link MercuryEnvelope}, {@link StartIdPaging},
 * {@link ScanCursor} and {@link MercuryErrors} for the parts.
 */
final class MercuryReader implements SourceReader {

    private static final Logger LOG = LoggerFactory.getLogger(MercuryReader.class);

    private final SourceConfig config;
    private final PlatformHttp http;
    private final MercuryRequest request;
    private final MercuryErrors errors;
    private final MaxPages maxPages;

    MercuryReader(SourceConfig config, PlatformHttp http) {
        this.config = config;
        this.http = http;
        this.request = new MercuryRequest(config);
        this.errors = new MercuryErrors(config);
        this.maxPages = MaxPages.of(config);
    }

    /**
     * @param full {@code sync --full}: every pass is a full scan anyway, so here it means "start over", even when
     *             an unfinished scan could be resumed
     */
    @Override
    public Pass open(String committedCursor, boolean full) {
        String startId = full ? null : resumePoint(committedCursor);
        if (startId != null) {
            LOG.info("{}: resuming the unfinished scan from startId={}", config.name(), startId);
        }
        return new Scan(new StartIdPaging(startId, request.limit(), !request.sorts(), errors), startId != null);
    }

    private String resumePoint(String committedCursor) {
        try {
            return ScanCursor.startId(committedCursor);
        } catch (IllegalArgumentException e) {
            throw errors.badCursor(committedCursor);
        }
    }

    /**
     * One full scan, page by page. A page's {@code startId} is the last id of the page before, so no page can be fetched
     * ahead ({@code concurrency} does not apply). The next request still goes out as soon as this page is parsed and its
     * last id read: {@link #next} returns it unmapped, and mapping and writing run on the map and warehouse routes' threads.
     */
    private final class Scan implements Pass {

        private final StartIdPaging paging;
        private final boolean resumed;
        private boolean complete;
        private int pages;

        Scan(StartIdPaging paging, boolean resumed) {
            this.paging = paging;
            this.resumed = resumed;
        }

        @Override
        public Page next() {
            if (complete) {
                throw new IllegalStateException(config.name() + ": the scan is complete; open a new pass");
            }
            maxPages.check(++pages);
            Map<String, String> query = request.query(paging.startId());
            String described = MercuryRequest.describe(query);
            List<ObjectNode> items = http.get(request.url(), query, request.headers(),
                    reply -> MercuryEnvelope.items(reply, described, errors));
            StartIdPaging.Step step = paging.read(items, described);
            complete = step.end();
            LOG.debug("{}: {} -> {} users, {} new{}", config.name(), described, items.size(), step.fresh().size(),
                    complete ? ", scan complete" : "");
            return new Page(step.fresh(), step.freshIds(), complete ? ScanCursor.CLEARED : ScanCursor.at(paging.startId()),
                    complete, described, step.range());
        }

        @Override
        public boolean fullScan() {
            return true;
        }

        @Override
        public boolean resumesScan() {
            return resumed;
        }
    }
}
