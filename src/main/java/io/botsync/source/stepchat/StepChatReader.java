package io.botsync.source.stepchat;

import io.botsync.source.Pass;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceReader;
import java.time.Instant;

/**
 * Chooses the pass. {@code --full}, or a first run with no {@code start-date}, is a {@link FullScanPass}: every
 * {@code get-users} page, verified before it may mark deletions. Otherwise an {@link IncrementalPass}: new users
 * through {@code get-new-users}, then the activity scan for updated ones.
 */
final class StepChatReader implements SourceReader {

    private final StepChatSettings settings;
    private final StepChatApi api;

    StepChatReader(StepChatSettings settings, PlatformHttp http) {
        this.settings = settings;
        this.api = new StepChatApi(settings, http);
    }

    @Override
    public Pass open(String committedCursor, boolean full) {
        StepChatCursor cursor = StepChatCursor.parse(committedCursor);
        Instant start = settings.startInstant();
        // Each half of an incremental pass needs a starting point: the committed cursor, else the start date.
        boolean hasNewFrom = (cursor != null && cursor.lastId() != null) || start != null;
        boolean hasActivityFrom = (cursor != null && cursor.lastActivity() != null) || start != null;
        if (full || !hasNewFrom || !hasActivityFrom) {
            return new FullScanPass(settings, api, committedCursor);
        }
        StepChatCursor from = cursor == null ? new StepChatCursor(null, null) : cursor;
        String newSince = from.lastId() != null ? String.valueOf(from.lastId()) : settings.startDate();
        Instant activityFrom = from.lastActivity() != null ? from.lastActivity() : start;
        return new IncrementalPass(settings, api, from, newSince, activityFrom);
    }
}
