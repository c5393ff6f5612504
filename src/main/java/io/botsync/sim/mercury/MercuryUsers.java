package io.botsync.sim.mercury;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The simulator's users, ordered by userId: Mercury pages by "the user ID to start from" with no offset, which
 * reads as keyset paging, and ordering by id is what makes a startId that no longer exists still have a place.
 * Generated deterministically from a seed; guarded by this object's monitor, since the HTTP threads read while
 * a test mutates.
 */
final class MercuryUsers {

    /** Generated users were last active in the two years before this instant, so a seed always gives the same data. */
    private static final Instant GENERATED_UNTIL = Instant.parse("2025-01-01T00:00:00Z");
    private static final long TWO_YEARS_SECONDS = 2L * 365 * 24 * 3600;

    private final ArrayList<SimUser> byId;
    private final Random random;
    private Clock clock = Clock.systemUTC();

    MercuryUsers(int count, long seed) {
        random = new Random(seed);
        byId = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long millis = GENERATED_UNTIL.toEpochMilli() - random.nextLong(TWO_YEARS_SECONDS) * 1000
                    + (random.nextInt(4) == 0 ? random.nextInt(1000) : 0);
            byId.add(newUser(random.nextLong(), millis));
        }
        byId.sort(SimUser.BY_ID);
    }

    synchronized void clock(Clock clock) {
        this.clock = clock;
    }

    synchronized int size() {
        return byId.size();
    }

    synchronized SimUser get(int index) {
        return byId.get(index);
    }

    synchronized List<SimUser> all() {
        return List.copyOf(byId);
    }

    /** Changes {@code changed} distinct users (new email or last name, active now) and adds {@code added} new ones. */
    synchronized void mutate(int changed, int added) {
        long now = clock.millis();
        Set<Integer> picked = new HashSet<>();
        while (picked.size() < Math.min(changed, byId.size())) {
            int index = random.nextInt(byId.size());
            if (picked.add(index)) {
                byId.set(index, byId.get(index).changed(now));
            }
        }
        for (int i = 0; i < added; i++) {
            SimUser user = newUser(random.nextLong(), now);
            byId.add(insertionPoint(user.idHigh(), user.idLow()), user);
        }
    }

    synchronized SimUser remove(int index) {
        return byId.remove(index);
    }

    /**
     * Up to {@code limit} users of the selection, starting with the user {@code startId} (inclusive) or with the one
     * after it; null {@code startId} starts at the first.
     *
     * @throws IllegalArgumentException when a sorted selection is asked to start at a user it does not hold
     */
    List<SimUser> page(UUID startId, boolean inclusive, int limit, MercuryQuery query) {
        return query.order() == null ? pageById(startId, inclusive, limit, query) : pageSorted(startId, inclusive, limit, query);
    }

    /** Keyset paging over the id order: the cost is the page, not the number of users. */
    private synchronized List<SimUser> pageById(UUID startId, boolean inclusive, int limit, MercuryQuery query) {
        int from = 0;
        if (startId != null) {
            int point = insertionPoint(startId.getMostSignificantBits(), startId.getLeastSignificantBits());
            boolean found = point < byId.size() && byId.get(point).uuid().equals(startId);
            from = found && !inclusive ? point + 1 : point;
        }
        List<SimUser> page = new ArrayList<>(Math.min(limit, 1000));
        for (int i = from; i < byId.size() && page.size() < limit; i++) {
            if (query.filter().test(byId.get(i))) {
                page.add(byId.get(i));
            }
        }
        return page;
    }

    /** A sort by properties has no key to seek on: select and sort everything, then find the start user. */
    private List<SimUser> pageSorted(UUID startId, boolean inclusive, int limit, MercuryQuery query) {
        List<SimUser> sorted = new ArrayList<>(all().stream().filter(query.filter()).toList());
        sorted.sort(query.order().thenComparing(SimUser.BY_ID));
        int from = 0;
        if (startId != null) {
            from = -1;
            for (int i = 0; i < sorted.size() && from < 0; i++) {
                from = sorted.get(i).uuid().equals(startId) ? (inclusive ? i : i + 1) : -1;
            }
            if (from < 0) {
                throw new IllegalArgumentException("startId " + startId + " is not among the selected users");
            }
        }
        return List.copyOf(sorted.subList(from, Math.min(sorted.size(), from + limit)));
    }

    private int insertionPoint(long high, long low) {
        int lo = 0;
        int hi = byId.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (SimUser.compare(byId.get(mid), high, low) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** A random (version 4) UUID drawn from the seeded generator, with the given traits word. */
    private SimUser newUser(long traits, long lastInteractionMillis) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new SimUser(high, low, traits, lastInteractionMillis);
    }
}
