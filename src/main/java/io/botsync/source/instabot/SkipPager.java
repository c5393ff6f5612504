package io.botsync.source.instabot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.source.Concurrency;
import io.botsync.source.FetchAhead;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paginator: reads one Instabot endpoint with {@code limit}/{@code skip} until {@code hasMoreRecords} is
 * false, in a way that cannot lose a user when users change while it reads.
 *
 * <p>Why plain skip paging loses users (Airbyte issue #21500): between two requests a user is deleted or
 * updated and moves to another place in the order; every user behind its old place shifts one place forward,
 * so the user that was first on the next page is now last on the page already read, and no request returns it.
 *
 * <p>What this pager does instead:
 * <ul>
 *   <li><b>Overlapping pages.</b> The next {@code skip} is this one plus the records returned minus
 *       {@code overlap} (returned, not asked for: Instabot caps {@code limit} at 100). Up to {@code overlap - 1}
 *       users may shift forward between two requests and still be read. The overlap is at least 1: without
 *       it no page could show that it continues the one before.</li>
 *   <li><b>Boundary check.</b> The first user of each page after the first must be one the page before
 *       returned; if it is not, more users shifted than the overlap absorbs and some may have been passed over.</li>
 *   <li><b>Count check.</b> When {@code hasMoreRecords} turns false, the distinct users read must be at least
 *       the {@code totalCount} Instabot reports. This catches what the boundary check cannot see: users that
 *       moved backwards into the part already read, or an order that is not the same from one request to the next.</li>
 *   <li>A failed check reads the endpoint again from {@code skip=0} (the records already returned stay
 *       returned: the warehouse upsert is idempotent). After {@code maxRereads} re-reads the source fails
 *       with a {@link SourceException}: it never ends a read it cannot prove complete. A {@code totalCount} that
 *       lies high fails it so; one that lies low ends nothing early, since only {@code hasMoreRecords} ends a read.</li>
 *   <li><b>Loop guard.</b> A page that says more records follow but brings no user this read has not returned
 *       already is Instabot sending a page again instead of paging by {@code skip}: the source fails at once, that
 *       page unreturned, since reading again would loop the same way.</li>
 * </ul>
 * No order is assumed: the reference does not say how either endpoint sorts. The checks need only that two
 * requests close together list users in the same order; when they do not, the cost is a re-read, not a user.
 *
 * <p><b>Fetching ahead.</b> Instabot caps a page at {@code limit}, so a full page moves {@code skip} by
 * {@code limit - overlap}: the next pages' requests are known before this one is read, and up to the source's
 * concurrency of them are in flight at once ({@link FetchAhead}), none past the {@code totalCount} the last page
 * reported (a read's first page goes alone, so a small incremental read asks for nothing it does not need). The pages
 * are checked in skip order as above, whatever order they arrived in. The boundary check compares two adjacent pages'
 * users, not when they were fetched, so it proves them contiguous as it does one by one; a guess that turns out wrong
 * (a short page, a re-read) drops the pages fetched on it.
 */
final class SkipPager {

    private static final Logger LOG = LoggerFactory.getLogger(SkipPager.class);

    /**
     * One request's outcome: its records and their objectIds. {@code complete} is true on the page that proves the whole
     * endpoint was read. {@code expectedRecords}: about how many records this read returns in all (-1: not known).
     */
    record Step(List<ObjectNode> records, List<String> ids, String request, boolean complete, long expectedRecords) {
    }

    private final SourceConfig config;
    private final String path;
    private final String since;
    private final int limit;
    private final int overlap;
    private final int maxRereads;
    private final FetchAhead<InstabotEnvelope> pages;

    private int skip;
    /** Where no page is expected: the totalCount the last page reported; 0 until one did. */
    private long expectedEnd;
    private Set<String> previousPage;
    private SeenIds seen = new SeenIds();
    private int rereads;

    SkipPager(InstabotRequests requests, SourceConfig config, String path, String since, int limit, int overlap, int maxRereads,
              Concurrency concurrency) {
        this.config = config;
        this.path = path;
        this.since = since;
        this.limit = limit;
        this.overlap = overlap;
        this.maxRereads = maxRereads;
        this.pages = requests.pages(path, since, limit, concurrency, (reply, request) -> InstabotEnvelope.read(reply, request, config));
    }

    Step next() {
        String request = InstabotRequests.describe(path, since, limit, skip);
        InstabotEnvelope page = pages.take(skip, limit - overlap, expectedEnd);
        expectedEnd = page.totalCount();
        List<String> ids = page.records().stream().map(SkipPager::objectId).filter(id -> id != null).toList();

        String problem = boundaryProblem(page, ids);
        int added = 0;
        for (String id : ids) {
            added += seen.add(id) ? 1 : 0;
        }
        if (problem == null && page.hasMoreRecords() && added == 0 && previousPage != null) {
            throw new SourceException(config.name() + ": Instabot answered " + request + " with hasMoreRecords true and only"
                    + " users this read had returned already: it is sending a page again instead of paging by skip. The"
                    + " read stops here, unfinished, with nothing of that page kept and no user flagged deleted; try again"
                    + " later");
        }
        if (problem == null && !page.hasMoreRecords()) {
            if (page.totalCount() > seen.size()) {
                problem = "read " + seen.size() + " distinct users where Instabot's totalCount says " + page.totalCount();
            } else {
                pages.drop();
                return new Step(page.records(), ids, request, true, expectedRecords(page.totalCount()));
            }
        }
        if (problem != null) {
            startOver(problem);
        } else {
            skip += Math.max(1, page.records().size() - overlap);
            previousPage = new HashSet<>(ids);
        }
        return new Step(page.records(), ids, request, false, expectedRecords(page.totalCount()));
    }

    /**
     * About how many records a read of {@code totalCount} users returns, its pages overlapping: every page but the
     * last brings {@code overlap} users again. -1 when Instabot gave no totalCount. (A re-read returns more.)
     */
    private long expectedRecords(long totalCount) {
        if (totalCount < 0) {
            return -1;
        }
        long pages = Math.max(1, Math.floorDiv(totalCount - overlap + limit - overlap - 1, limit - overlap));
        return totalCount + overlap * (pages - 1);
    }

    /** Null when this page provably continues the one before it. */
    private String boundaryProblem(InstabotEnvelope page, List<String> ids) {
        if (previousPage == null) {
            return null;
        }
        if (ids.isEmpty()) {
            // The page before said more would follow: the list shrank under us, and the users that shifted
            // forward may all have been passed over (the deleted ones, already counted, would hide them).
            return "the page at skip=" + skip + " is empty although the page before said more records follow";
        }
        if (!previousPage.contains(ids.get(0))) {
            return "the page at skip=" + skip + " does not begin inside the page before it (more than "
                    + (overlap - 1) + " users moved between two requests)";
        }
        return null;
    }

    private void startOver(String problem) {
        rereads++;
        if (rereads > maxRereads) {
            throw new SourceException(config.name() + ": " + maxRereads + " re-reads did not give a complete read of "
                    + path + " (" + problem + "), so it stops unfinished and no user is flagged deleted. Either"
                    + " users kept changing while it was read (try again later, or raise " + config.key("page-overlap")
                    + " or " + config.key("max-rereads") + "), or Instabot's totalCount is wrong (then no read can be"
                    + " proven complete)");
        }
        LOG.warn("{}: {} {}; reading it again from the start (re-read {} of at most {})",
                config.name(), path, problem, rereads, maxRereads);
        skip = 0;
        expectedEnd = 0;
        pages.drop();
        previousPage = null;
        seen = new SeenIds();
    }

    static String objectId(JsonNode user) {
        JsonNode id = user.get("objectId");
        return id == null || id.isNull() || id.asText().isEmpty() ? null : id.asText();
    }
}
