package io.botsync.sim.stepchat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's users: one small {@link SimUser} per id (ids are auto-increment from 1, as on the platform;
 * a deleted id leaves a hole), and the sorted orders {@code get-users} pages through, built once and kept
 * until the next change so a full scan of a million users sorts once, not once a page.
 */
final class UserStore {

    static final Set<String> SORTABLE = Set.of("first_name", "last_name", "email", "profile_image", "user_type",
            "creation_time", "last_activity", "department");
    private static final Pattern GENERATED_EMAIL = Pattern.compile("^[a-z]+\\.[a-z]+\\.(\\d+)(\\.v\\d+)?@.*");

    private final UserGenerator generator;
    private final List<SimUser> byId = new ArrayList<>();
    private final Map<String, Long> writtenEmails = new HashMap<>();
    private final Map<String, long[]> sortedCache = new HashMap<>();
    private int count;

    UserStore(UserGenerator generator) {
        this.generator = generator;
    }

    synchronized long nextId() {
        return byId.size() + 1L;
    }

    synchronized void put(SimUser user) {
        int index = (int) (user.id() - 1);
        while (byId.size() <= index) {
            byId.add(null);
        }
        SimUser old = byId.set(index, user);
        if (old == null) {
            count++;
        } else if (old.written() != null && old.written().email() != null) {
            writtenEmails.remove(old.written().email().toLowerCase(Locale.ROOT));
        }
        if (user.written() != null && user.written().email() != null) {
            writtenEmails.put(user.written().email().toLowerCase(Locale.ROOT), user.id());
        }
        sortedCache.clear();
    }

    synchronized SimUser get(long id) {
        return id < 1 || id > byId.size() ? null : byId.get((int) (id - 1));
    }

    synchronized boolean delete(long id) {
        SimUser user = get(id);
        if (user == null) {
            return false;
        }
        byId.set((int) (id - 1), null);
        if (user.written() != null && user.written().email() != null) {
            writtenEmails.remove(user.written().email().toLowerCase(Locale.ROOT));
        }
        count--;
        sortedCache.clear();
        return true;
    }

    synchronized int count() {
        return count;
    }

    /** The user's current fields, written or generated. */
    Written fields(SimUser user) {
        return user.written() != null ? user.written() : generator.fields(user);
    }

    /** Who holds this email now, if anyone (case-insensitive, as MySQL compares). */
    synchronized Long ownerOfEmail(String email) {
        String key = email.toLowerCase(Locale.ROOT);
        Long written = writtenEmails.get(key);
        if (written != null) {
            return written;
        }
        Matcher generated = GENERATED_EMAIL.matcher(key);
        if (generated.matches()) {
            SimUser user = get(Long.parseLong(generated.group(1)));
            if (user != null && user.written() == null && key.equalsIgnoreCase(generator.fields(user).email())) {
                return user.id();
            }
        }
        return null;
    }

    /** Every live user matching, in id order. */
    synchronized List<SimUser> all(Predicate<SimUser> filter) {
        List<SimUser> users = new ArrayList<>();
        for (SimUser user : byId) {
            if (user != null && filter.test(user)) {
                users.add(user);
            }
        }
        return users;
    }

    /**
     * The ids of the users of the given types in the given order; ties go by id in the same direction, so the
     * order is total and stable while nothing changes.
     */
    synchronized long[] sorted(String column, boolean descending, Set<String> types) {
        String key = column + (descending ? " DESC " : " ASC ") + types;
        long[] cached = sortedCache.get(key);
        if (cached != null) {
            return cached;
        }
        List<SimUser> users = all(user -> types.contains(user.type()));
        long[] ids = sort(users, column, descending);
        sortedCache.put(key, ids);
        return ids;
    }

    /** A few users (a {@code user_ids} request) in the given order, not cached. */
    long[] sort(List<SimUser> users, String column, boolean descending) {
        return column.equals("creation_time") || column.equals("last_activity")
                ? sortedByTime(users, column.equals("creation_time"), descending)
                : sortedByField(users, column, descending);
    }

    /** Time and id packed into one long and sorted as primitives: a million users sort in well under a second. */
    static long[] sortedByTime(List<SimUser> users, boolean byCreation, boolean descending) {
        long[] packed = new long[users.size()];
        for (int i = 0; i < packed.length; i++) {
            SimUser user = users.get(i);
            long seconds = byCreation ? user.created() : user.lastActivity();
            packed[i] = (Math.max(0, Math.min(seconds, 0x7FFFFFFFL)) << 32) | user.id();
        }
        Arrays.sort(packed);
        long[] ids = new long[packed.length];
        for (int i = 0; i < packed.length; i++) {
            ids[descending ? packed.length - 1 - i : i] = packed[i] & 0xFFFFFFFFL;
        }
        return ids;
    }

    private record Keyed(String key, long id) {
    }

    long[] sortedByField(List<SimUser> users, String column, boolean descending) {
        Function<SimUser, String> sortKey = sortKey(column);
        Keyed[] keyed = new Keyed[users.size()];
        for (int i = 0; i < keyed.length; i++) {
            keyed[i] = new Keyed(sortKey.apply(users.get(i)), users.get(i).id());
        }
        Comparator<Keyed> order = Comparator.comparing(Keyed::key, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
                .thenComparingLong(Keyed::id);
        Arrays.sort(keyed, descending ? order.reversed() : order);
        return Arrays.stream(keyed).mapToLong(Keyed::id).toArray();
    }

    private Function<SimUser, String> sortKey(String column) {
        return switch (column) {
            case "user_type" -> SimUser::type;
            case "first_name" -> user -> fields(user).firstName();
            case "last_name" -> user -> fields(user).lastName();
            case "email" -> user -> fields(user).email();
            case "profile_image" -> user -> fields(user).profileImage();
            case "department" -> user -> fields(user).department();
            default -> throw new IllegalArgumentException(column);
        };
    }
}
