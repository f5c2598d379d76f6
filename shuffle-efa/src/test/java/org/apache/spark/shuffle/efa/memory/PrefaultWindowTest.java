package org.apache.spark.shuffle.efa.memory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrefaultWindowTest {
    private static final long MIB = 1 << 20;
    private final PrefaultWindow window = new PrefaultWindow(1024 * MIB, 256 * MIB, 32 * MIB);

    @Test
    void aFreshExecutorPopulatesOnlyTheWindowNotTheBudget() {
        assertEquals(256 * MIB, window.target(0));
        assertEquals(32 * MIB, window.nextLength(0, window.target(0)));
        assertEquals(0, window.nextLength(256 * MIB, window.target(0)));
    }

    @Test
    void theWindowFollowsTheHighWaterMarkInWholeChunksAndStopsAtTheEnd() {
        assertEquals(288 * MIB, window.target(1)); // 256 MiB + 1 byte, rounded up to a chunk
        assertEquals(288 * MIB, window.target(32 * MIB));
        assertEquals(1024 * MIB, window.target(900 * MIB));
        assertEquals(1024 * MIB, window.target(Long.MAX_VALUE - 1));
        assertEquals(8 * MIB, window.nextLength(1016 * MIB, window.target(1020 * MIB)));
    }

    @Test
    void nothingIsPopulatedBeyondWhatIsWantedOrTwice() {
        assertEquals(0, window.nextLength(300 * MIB, window.target(0)));
        assertEquals(0, new PrefaultWindow(0, 256 * MIB, 32 * MIB).nextLength(0, 256 * MIB));
        assertThrows(IllegalArgumentException.class, () -> new PrefaultWindow(MIB, 0, MIB));
    }
}
