package io.botsync.source.mercury;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a Mercury page counts as in id order, so that its id range may stand for the ids seen (issue 22). */
class StartIdOrderTest {

    @Test
    void strictlyAscendingIdsAboveTheStartIdAreInOrder() {
        assertTrue(StartIdPaging.inIdOrder(null, List.of("0a", "0b", "1")));
        assertTrue(StartIdPaging.inIdOrder("09", List.of("0a", "b")));
        assertTrue(StartIdPaging.inIdOrder("x", List.of()));
    }

    @Test
    void aRepeatADescentOrAnIdNotAboveTheStartIdIsNot() {
        assertFalse(StartIdPaging.inIdOrder(null, List.of("a", "a")));
        assertFalse(StartIdPaging.inIdOrder(null, List.of("b", "a")));
        assertFalse(StartIdPaging.inIdOrder("b", List.of("b", "c")));
        assertFalse(StartIdPaging.inIdOrder("c", List.of("b", "d")));
    }

    @Test
    void anIdWithASurrogatePairIsNeverInOrder() {
        // U+1F600 sorts below U+FFFD as Java compares UTF-16 units, above it as UTF-8 bytes (the database's order)
        assertFalse(StartIdPaging.inIdOrder(null, List.of("a", "a\uD83D\uDE00")));
        assertFalse(StartIdPaging.inIdOrder("a\uD83D\uDE00", List.of("b")));
    }
}
