package io.botsync.sim.instabot;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The simulator's users and the two orders it serves them in: the list by objectId, {@code lastUpdated} by
 * updateDate then objectId (the reference states neither; these are plausible, and the reader relies on neither).
 * Deleted users stay, flagged, so that they can be restored. All methods are synchronized: the HTTP threads
 * read while tests and {@code mutate} write.
 */
final class UserStore {

    /** Generated users were created in the year before this instant and last updated before it. */
    static final Instant GENERATED_UNTIL = Instant.parse("2024-01-01T00:00:00Z");

    record Slice(List<SimUser> users, int totalCount) {
    }

    private final List<SimUser> users = new ArrayList<>();   // ascending objectId: ids are handed out in order
    private final Map<Long, WrittenFields> written = new HashMap<>();
    private final UserRenderer renderer;
    private final SplittableRandom changes;
    private Clock clock = Clock.systemUTC();
    private boolean newestFirst;
    private long nextId = 70_600_000L;
    private int[] liveById;
    private int[] liveByUpdate;

    UserStore(int count, long seed) {
        this.renderer = new UserRenderer(seed);
        this.changes = new SplittableRandom(seed ^ 0x5DEECE66DL);
        SplittableRandom generate = new SplittableRandom(seed);
        long until = UserRenderer.ticks(GENERATED_UNTIL);
        long year = 365L * 24 * 3600 * UserRenderer.TICKS_PER_SECOND;
        for (int i = 0; i < count; i++) {
            long created = trimDigits(until - 1 - generate.nextLong(year), generate);
            long updated = trimDigits(created + generate.nextLong(until - created), generate);
            byte type = (byte) (generate.nextInt(10) < 6 ? 0 : generate.nextInt(10) < 5 ? 1 : 2);
            users.add(new SimUser(takeId(generate), created, updated, 0, type, false));
        }
    }

    /** Drops 0 to 7 trailing fractional digits, so that every length Instabot sends occurs. */
    private static long trimDigits(long ticks, SplittableRandom random) {
        long unit = (long) Math.pow(10, random.nextInt(8));
        return ticks - Math.floorMod(ticks, unit);
    }

    private long takeId(SplittableRandom random) {
        long id = nextId + random.nextInt(5);
        nextId += 7;
        return id;
    }

    synchronized void clock(Clock clock) {
        this.clock = clock;
    }

    synchronized long now() {
        return UserRenderer.ticks(clock.instant());
    }

    UserRenderer renderer() {
        return renderer;
    }

    synchronized WrittenFields written(long objectId) {
        return written.get(objectId);
    }

    synchronized Slice list(boolean allTypes, int skip, int limit) {
        return slice(liveById(), 0, allTypes, skip, limit, false);
    }

    /** Users whose updateDate is at or after {@code sinceTicks}. */
    synchronized Slice lastUpdated(long sinceTicks, boolean allTypes, int skip, int limit) {
        int[] order = liveByUpdate();
        int low = 0;
        int high = order.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (users.get(order[mid]).updateTicks() < sinceTicks) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return slice(order, low, allTypes, skip, limit, newestFirst);
    }

    /** Serves {@code lastUpdated} newest first instead of oldest first: a changed user then moves backwards. */
    synchronized void newestFirst(boolean newestFirst) {
        this.newestFirst = newestFirst;
    }

    /** The users {@code order[from..]}, or the same ones from the end when {@code reversed}, paged. */
    private Slice slice(int[] order, int from, boolean allTypes, int skip, int limit, boolean reversed) {
        int count = order.length - from;
        List<SimUser> page = new ArrayList<>(Math.min(limit, 100));
        if (allTypes) {
            for (int k = skip; k < count && page.size() < limit; k++) {
                page.add(users.get(order[reversed ? order.length - 1 - k : from + k]));
            }
            return new Slice(page, count);
        }
        int matching = 0;
        for (int k = 0; k < count; k++) {
            SimUser user = users.get(order[reversed ? order.length - 1 - k : from + k]);
            if (!UserRenderer.USER_TYPES[user.type()].equals("anonymous")) {
                if (matching >= skip && page.size() < limit) {
                    page.add(user);
                }
                matching++;
            }
        }
        return new Slice(page, matching);
    }

    /** The user, deleted or not; null when no such id was ever handed out. */
    synchronized SimUser find(long objectId) {
        int low = 0;
        int high = users.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long id = users.get(mid).objectId();
            if (id == objectId) {
                return users.get(mid);
            }
            if (id < objectId) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return null;
    }

    synchronized int liveCount() {
        return liveById().length;
    }

    synchronized List<Long> liveIds() {
        return Arrays.stream(liveById()).mapToObj(i -> users.get(i).objectId()).toList();
    }

    /** A new email and name for {@code changed} users picked at random, and {@code added} new users. */
    synchronized void mutate(int changed, int added) {
        int[] live = liveById();
        for (int i = 0; i < changed && live.length > 0; i++) {
            change(users.get(live[changes.nextInt(live.length)]).objectId());
        }
        for (int i = 0; i < added; i++) {
            long now = now();
            users.add(new SimUser(takeId(changes), now, now, 0, (byte) changes.nextInt(2), false));
        }
        invalidate();
    }

    /** Changes one user now, as a person editing their profile would: a new version, a new updateDate. */
    synchronized SimUser change(long objectId) {
        SimUser user = find(objectId);
        if (user == null || user.deleted()) {
            return null;
        }
        SimUser next = user.changed(now());
        WrittenFields kept = written.get(objectId);
        if (kept != null) {
            WrittenFields fresh = renderer.generated(next);
            written.put(objectId, new WrittenFields(kept.username(), fresh.name(), kept.description(), fresh.email(),
                    kept.phone(), kept.customProperties()));
        }
        return replace(next);
    }

    synchronized SimUser create(WrittenFields fields) {
        long now = now();
        SimUser user = new SimUser(takeId(changes), now, now, 0, (byte) 0, false);
        users.add(user);
        written.put(user.objectId(), fields);
        invalidate();
        return user;
    }

    /** Replaces the written fields of a live user; null when it is not there. */
    synchronized SimUser update(long objectId, WrittenFields fields) {
        SimUser user = find(objectId);
        if (user == null || user.deleted()) {
            return null;
        }
        written.put(objectId, fields);
        return replace(user.changed(now()));
    }

    /** The fields a write starts from: what was written before, else what the seed generates. */
    synchronized WrittenFields currentFields(SimUser user) {
        WrittenFields kept = written.get(user.objectId());
        return kept != null ? kept : renderer.generated(user);
    }

    synchronized SimUser setDeleted(long objectId, boolean gone) {
        SimUser user = find(objectId);
        if (user == null) {
            return null;
        }
        return user.deleted() == gone ? user : replace(user.deleted(gone, now()));
    }

    synchronized boolean usernameTaken(String username) {
        for (WrittenFields fields : written.values()) {
            if (fields.username() != null && fields.username().equalsIgnoreCase(username)) {
                return true;
            }
        }
        // Generated usernames end in ".<objectId>"
        int dot = username.lastIndexOf('.');
        if (dot >= 0) {
            try {
                SimUser user = find(Long.parseLong(username.substring(dot + 1)));
                return user != null && !written.containsKey(user.objectId())
                        && renderer.generated(user).username().equalsIgnoreCase(username);
            } catch (NumberFormatException notGenerated) {
                return false;
            }
        }
        return false;
    }

    private SimUser replace(SimUser next) {
        int low = 0;
        int high = users.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long id = users.get(mid).objectId();
            if (id == next.objectId()) {
                users.set(mid, next);
                invalidate();
                return next;
            }
            if (id < next.objectId()) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        throw new IllegalStateException("no user " + next.objectId());
    }

    private void invalidate() {
        liveById = null;
        liveByUpdate = null;
    }

    private int[] liveById() {
        if (liveById == null) {
            liveById = IntStream.range(0, users.size()).filter(i -> !users.get(i).deleted()).toArray();
        }
        return liveById;
    }

    private int[] liveByUpdate() {
        if (liveByUpdate == null) {
            Comparator<Integer> byUpdate = Comparator.comparingLong((Integer i) -> users.get(i).updateTicks())
                    .thenComparingLong(i -> users.get(i).objectId());
            liveByUpdate = Arrays.stream(liveById()).boxed().sorted(byUpdate).mapToInt(Integer::intValue).toArray();
        }
        return liveByUpdate;
    }
}
