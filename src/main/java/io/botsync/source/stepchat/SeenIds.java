package io.botsync.source.stepchat;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The distinct users a full scan has seen. StepChat ids are auto-increment integers, so a bit per id keeps a
 * million users in about 125 KB; an id that is not a small number falls back to a set.
 */
final class SeenIds {

    private final BitSet small = new BitSet();
    private final Set<String> other = new HashSet<>();

    /** @return true when the id was not seen before */
    boolean add(String id) {
        Long number = UserRecords.numericId(id);
        if (number != null && number >= 0 && number < Integer.MAX_VALUE) {
            boolean fresh = !small.get(number.intValue());
            small.set(number.intValue());
            return fresh;
        }
        return other.add(id);
    }
}
