package io.botsync.source.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Timestamps;
import io.botsync.source.MaxPages;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An incremental pass, in two halves.
 *
 * <p><b>New users.</b> {@code get-new-users datetime=<lastId>} (or the start date) returns, unpaged, every user
 * created after it, without details and without a type filter. Only their ids are kept; they are fetched back
 * with their details through {@code get-users user_ids=[...]} 100 at a time in ascending id order, so each page
 * can commit {@code lastId} = its greatest id (a crash resumes after the last committed chunk).
 *
 * <p><b>Updated users.</b> {@code get-new-users} does not see updates, so {@code get-users} is paged
 * newest-activity-first ({@code sorting=["last_activity","DESC"]}, {@code pagination=1..N}) until a page reaches
 * below the cursor's {@code lastActivity} minus the lookback, or a page is short (the end). Reading newest first,
 * {@code lastActivity} may not advance before the scan is over: pages return the cursor they started from and
 * only the last page commits the greatest activity seen. A user active during the scan moves to page 1, already
 * read, but with an activity newer than that cursor: the next pass reads them.
 *
 * <p><b>Loop guard.</b> A full activity page of users this scan has all returned already is StepChat sending a page
 * again: the pass fails at once, that page unreturned. So does a pass past {@code max-pages} ({@link MaxPages}).
 */
final class IncrementalPass implements Pass {

    private final StepChatSettings settings;
    private final StepChatApi api;
    private final String newSince;
    private final Instant floor;
    private StepChatCursor cursor;

    private Deque<String> newIds;
    /** The users the new-users half returned: the activity scan meets them again (they are recent) and skips them. */
    private final Set<String> readThisPass = new HashSet<>();
    private int activityPage;
    private int pages;
    /** The users the activity scan has returned: a full page of only these is a page sent again. */
    private final SeenIds activitySeen = new SeenIds();
    private Instant greatestActivity;

    IncrementalPass(StepChatSettings settings, StepChatApi api, StepChatCursor from,
                    String newSince, Instant activityFrom) {
        this.settings = settings;
        this.api = api;
        this.cursor = from;
        this.newSince = newSince;
        this.floor = activityFrom.minus(settings.lookback());
    }

    @Override
    public boolean fullScan() {
        return false;
    }

    @Override
    public Page next() {
        settings.maxPages().check(++pages);
        if (newIds == null) {
            newIds = newUserIds();
        }
        return newIds.isEmpty() ? nextActivityPage() : nextNewUsersPage();
    }

    /** The ids of users created after {@link #newSince}, staff left out, in ascending id order. */
    private Deque<String> newUserIds() {
        JsonNode users = api.callForList("get-new-users", Map.of("datetime", newSince));
        List<String> ids = new ArrayList<>();
        for (JsonNode user : users) {
            String id = user.path("id").asText("");
            if (!id.isEmpty() && settings.userTypes().contains(user.path("user_type").asText(""))) {
                ids.add(id);
            }
        }
        ids.sort(Comparator.comparing((String id) -> UserRecords.numericId(id), Comparator.nullsFirst(Long::compare)));
        return new ArrayDeque<>(ids);
    }

    private Page nextNewUsersPage() {
        List<String> chunk = new ArrayList<>();
        while (!newIds.isEmpty() && chunk.size() < settings.pageSize()) {
            chunk.add(newIds.poll());
        }
        Map<String, String> params = UsersQuery.byIds(settings, chunk);
        List<ObjectNode> users = UserRecords.select(api.callForList("get-users", params));
        users.forEach(user -> readThisPass.add(user.path("id").asText()));
        Long greatest = chunk.stream().map(id -> UserRecords.numericId(id))
                .filter(id -> id != null).max(Long::compare).orElse(null);
        if (greatest != null && (cursor.lastId() == null || greatest > cursor.lastId())) {
            cursor = cursor.withLastId(greatest);
        }
        String request = "function=get-new-users&datetime=" + newSince + " then " + UsersQuery.describe("get-users", params);
        // The activity half has not run yet, so its part of the cursor stays as it was.
        return new Page(users, UserRecords.platformIds(users), cursor.json(), false, request);
    }

    private Page nextActivityPage() {
        activityPage++;
        Map<String, String> params = UsersQuery.page(settings, "last_activity", "DESC", activityPage);
        List<ObjectNode> users = UserRecords.select(api.callForList("get-users", params));
        List<ObjectNode> inWindow = new ArrayList<>(users.size());
        boolean reachedFloor = false;
        int fresh = 0;
        for (ObjectNode user : users) {
            fresh += activitySeen.add(user.path("id").asText("")) ? 1 : 0;
            Instant activity = UserRecords.lastActivity(user);
            if (activity != null && activity.isBefore(floor)) {
                reachedFloor = true; // sorted newest first: everything after this is older still
                continue;
            }
            if (activity != null && (greatestActivity == null || activity.isAfter(greatestActivity))) {
                greatestActivity = activity;
            }
            // An unreadable activity is kept: the mapping rejects it visibly rather than it vanishing silently.
            if (!readThisPass.contains(user.path("id").asText())) {
                inWindow.add(user);
            }
        }
        boolean last = reachedFloor || users.size() < settings.pageSize();
        if (!last && fresh == 0) {
            throw UserRecords.pageAgain(settings, UsersQuery.describe("get-users", params));
        }
        if (last && greatestActivity != null
                && (cursor.lastActivity() == null || greatestActivity.isAfter(cursor.lastActivity()))) {
            cursor = cursor.withLastActivity(greatestActivity);
        }
        return new Page(inWindow, UserRecords.platformIds(inWindow), cursor.json(), last,
                UsersQuery.describe("get-users", params) + " (down to " + Timestamps.SQL_SECONDS.format(floor) + ")");
    }

}
