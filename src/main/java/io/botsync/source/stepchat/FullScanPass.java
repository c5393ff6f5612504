package io.botsync.source.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.source.FetchAhead;
import io.botsync.source.MaxPages;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import io.botsync.source.SourceException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A full scan: every {@code get-users} page (100 a page) of the configured user types, oldest-created first,
 * with details. Completing it lets the pipeline mark the users it did not return as deleted, so it must prove it
 * returned them all.
 *
 * <p><b>Why oldest-created first.</b> Paging by {@code last_activity} moves every user who is active during the
 * scan to page 1, already read: they would be skipped. By {@code creation_time} ASC a user never moves; new
 * users join at the end.
 *
 * <p><b>Verification.</b> Offset paging still skips a user when someone before it is deleted mid-scan (everyone
 * after shifts one place forward, across a page boundary). So before page 1 the pass notes the greatest id and
 * the {@code count-users} total of the configured types; when the scan ends, the distinct users it saw with an id
 * up to that greatest id must be at least that total. If they are fewer, the pass fails with a
 * {@link SourceException}: nothing is marked deleted and the cursor stays, so a rerun scans again. A skipped
 * user is never marked deleted.
 *
 * <p><b>Loop guard.</b> A full page of users the scan has all returned already is StepChat sending a page again
 * instead of the one asked for: the pass fails at once, that page unreturned, rather than page on forever. So does a
 * pass past {@code max-pages} ({@link MaxPages}).
 *
 * <p><b>Fetching ahead.</b> Page {@code n + 1} is known before page {@code n} is read, so up to the source's
 * concurrency of pages are in flight at once ({@link FetchAhead}), none past the last page the count at the start
 * implies (new users' pages are read one at a time). The pages are checked in page order whatever order they arrived
 * in, and the verification counts users, not requests, so it holds as it does one by one.
 *
 * <p><b>Cursor.</b> Mid-scan pages return the cursor the pass started from (a crashed scan starts over; it is not
 * resumed). The last page commits {@code lastId} = the greatest id at the start and {@code lastActivity} = the
 * newest activity at the start, so whatever was created or active while the scan ran is read by the next pass.
 */
final class FullScanPass implements Pass {

    private final StepChatSettings settings;
    private final StepChatApi api;
    private final String startCursor;
    private final FetchAhead<List<ObjectNode>> pages;

    private boolean probed;
    private Long greatestIdAtStart;
    private Instant newestActivityAtStart;
    private long usersAtStart;
    private final SeenIds seen = new SeenIds();
    private long seenFromStart;
    private int page;

    FullScanPass(StepChatSettings settings, StepChatApi api, String startCursor) {
        this.settings = settings;
        this.api = api;
        this.startCursor = startCursor;
        this.pages = api.fetchAhead(settings.concurrency().fresh(),
                number -> UserRecords.select(api.callForList("get-users", params(number))));
    }

    @Override
    public boolean fullScan() {
        return true;
    }

    @Override
    public Page next() {
        if (!probed) {
            probe();
        }
        settings.maxPages().check(++page);
        // the pages the count at the start fills, and the short (possibly empty) one after them
        long expectedEnd = usersAtStart / settings.pageSize() + 2;
        List<ObjectNode> users = pages.take(page, 1, expectedEnd);
        int fresh = 0;
        for (ObjectNode user : users) {
            Long id = UserRecords.id(user);
            if (seen.add(user.path("id").asText(""))) {
                fresh++;
                if (id != null && greatestIdAtStart != null && id <= greatestIdAtStart) {
                    seenFromStart++;
                }
            }
        }
        boolean last = users.size() < settings.pageSize();
        if (!last && fresh == 0) {
            throw UserRecords.pageAgain(settings, UsersQuery.describe("get-users", params(page)));
        }
        String cursor = startCursor;
        if (last) {
            pages.drop();
            verify();
            cursor = new StepChatCursor(greatestIdAtStart == null ? 0L : greatestIdAtStart, newestActivityAtStart).json();
        }
        return new Page(users, UserRecords.platformIds(users), cursor, last, UsersQuery.describe("get-users", params(page)))
                .expecting(usersAtStart);
    }

    private Map<String, String> params(long page) {
        return UsersQuery.page(settings, "creation_time", "ASC", Math.toIntExact(page));
    }

    /**
     * What the account looked like before page 1. The newest activity first, the greatest id next, the count
     * last: a user created between the id probe and the count makes the check fail, never pass wrongly.
     */
    private void probe() {
        newestActivityAtStart = null;
        for (JsonNode user : api.callForList("get-users", UsersQuery.page(settings, "last_activity", "DESC", 1))) {
            Instant activity = UserRecords.lastActivity(user);
            if (activity != null && (newestActivityAtStart == null || activity.isAfter(newestActivityAtStart))) {
                newestActivityAtStart = activity;
            }
        }
        greatestIdAtStart = null;
        for (JsonNode user : api.callForList("get-users", UsersQuery.page(settings, "creation_time", "DESC", 1))) {
            Long id = UserRecords.id(user);
            if (id != null && (greatestIdAtStart == null || id > greatestIdAtStart)) {
                greatestIdAtStart = id;
            }
        }
        usersAtStart = new UserCount(settings, api).ofConfiguredTypes();
        probed = true;
    }

    private void verify() {
        if (seenFromStart < usersAtStart) {
            throw new SourceException(settings.source() + ": the full scan saw " + seenFromStart + " of the "
                    + usersAtStart + " users that existed when it began (users were deleted or moved between pages"
                    + " while it ran), so it marks nobody deleted; run the full sync again");
        }
    }
}
