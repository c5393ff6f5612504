package io.botsync.source.stepchat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A full scan's seen ids: each id counts once, from 0 to 2^31 - 1 and beyond, numeric or not. */
class SeenIdsTest {

    @Test
    void everyIdCountsOnceWhateverItsSize() {
        SeenIds seen = new SeenIds();
        for (String id : new String[] {"0", "1", "2000000000", "2147483647", "2147483648", "9223372036854775807", "-5",
                                       "abc", "u-17", " 42 "}) {
            assertTrue(seen.add(id), "first sight of " + id);
            assertFalse(seen.add(id), "second sight of " + id);
        }
        assertFalse(seen.add("42"), "an id with spaces around it is the same number");
        for (int id = 1; id <= 100_000; id++) {
            assertTrue(seen.add(String.valueOf(id + 1_000_000)), "consecutive id " + id);
        }
        assertFalse(seen.add("1050000"));
    }
}
