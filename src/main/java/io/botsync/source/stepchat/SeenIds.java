package io.botsync.source.stepchat;

import java.util.HashSet;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * The distinct users a full scan has seen. StepChat ids are auto-increment integers: a compressed bitmap keeps a
 * million consecutive ids in about 130 KB, and a stray id of 2,000,000,000 in a few bytes more (a plain bit set grew
 * to 250 MB for it, past the heap botsync runs in). An id that is not a number from 0 to 2^31 - 1 falls back to a
 * set.
 */
final class SeenIds {

    private final RoaringBitmap numbers = new RoaringBitmap();
    private final Set<String> other = new HashSet<>();

    /** @return true when the id was not seen before */
    boolean add(String id) {
        Long number = UserRecords.numericId(id);
        if (number != null && number >= 0 && number <= Integer.MAX_VALUE) {
            return numbers.checkedAdd(number.intValue());
        }
        return other.add(id);
    }
}
