package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressStallDetectorTest {
    private static final long S = 1_000_000_000L;
    private final ProgressStallDetector detector = new ProgressStallDetector(Duration.ofSeconds(5));

    @Test
    void aThreadAwayLongerThanAnOperationMayTakePlusTheGraceWithWorkWaitingIsStalled() {
        long beat = 1_000 * S;
        assertFalse(detector.stalled(beat, beat + 10 * S, true), "exactly the limit is not yet a stall");
        assertTrue(detector.stalled(beat, beat + 10 * S + 1, true));
    }

    @Test
    void anIdleThreadIsNeverStalledHoweverLongItBlocks() {
        assertFalse(detector.stalled(0, 3600 * S, false));
    }

    @Test
    void aSlowCallWithinTheOperationTimeoutIsNotAStall() {
        long beat = -5 * S; // nanoTime may be negative
        assertFalse(detector.stalled(beat, beat + 6 * S, true));
        assertFalse(detector.stalled(beat, beat + 9 * S, true));
    }
}
