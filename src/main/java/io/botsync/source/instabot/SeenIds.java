package io.botsync.source.instabot;

import java.util.Arrays;

/**
 * The distinct users one read has returned, to compare with Instabot's {@code totalCount}. A set of longs
 * in one open-addressed array (8 bytes a slot, at most half full), so a million users cost about 16 MB, not
 * the ~60 MB of a {@code HashSet<Long>}. Instabot's objectIds are integers; an id that is not is reduced to
 * a 64-bit hash, where a collision could only make a read look short and be read again, never look complete.
 */
final class SeenIds {

    private static final long EMPTY = Long.MIN_VALUE;

    private long[] slots = newSlots(1024);
    private int size;

    /** @return true when the id was not seen before */
    boolean add(String objectId) {
        long id = key(objectId);
        if (size * 2 >= slots.length) {
            grow();
        }
        return insert(slots, id);
    }

    boolean contains(String objectId) {
        long id = key(objectId);
        int mask = slots.length - 1;
        for (int i = spread(id) & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
            if (slots[i] == id) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    private boolean insert(long[] table, long id) {
        int mask = table.length - 1;
        int i = spread(id) & mask;
        while (table[i] != EMPTY) {
            if (table[i] == id) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = id;
        size++;
        return true;
    }

    private void grow() {
        long[] old = slots;
        slots = newSlots(old.length * 2);
        size = 0;
        for (long id : old) {
            if (id != EMPTY) {
                insert(slots, id);
            }
        }
    }

    private static long[] newSlots(int length) {
        long[] table = new long[length];
        Arrays.fill(table, EMPTY);
        return table;
    }

    private static long key(String objectId) {
        try {
            long id = Long.parseLong(objectId);
            if (id != EMPTY) {
                return id;
            }
        } catch (NumberFormatException notNumeric) {
            // falls through to the hash
        }
        long hash = 1125899906842597L;
        for (int i = 0; i < objectId.length(); i++) {
            hash = 31 * hash + objectId.charAt(i);
        }
        return hash == EMPTY ? hash + 1 : hash;
    }

    private static int spread(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
