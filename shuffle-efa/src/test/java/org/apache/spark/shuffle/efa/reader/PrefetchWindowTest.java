package org.apache.spark.shuffle.efa.reader;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchWindowTest {
    @Test
    void aQuarterOfThePoolIsLeftToReadersThatMustGoOn() {
        PrefetchWindow w = new PrefetchWindow(1 << 30, () -> 16);
        assertEquals(4, w.reservedBuffers());
        assertTrue(w.mayIssue(1 << 20, 1 << 20, 5));
        assertFalse(w.mayIssue(1 << 20, 1 << 20, 4), "the last four buffers are not for prefetch");
    }

    @Test
    void bytesInFlightAreBounded() {
        PrefetchWindow w = new PrefetchWindow(48 << 20, () -> 16);
        assertTrue(w.mayIssue(32 << 20, 16 << 20, 16));
        assertFalse(w.mayIssue(32 << 20, (16 << 20) + 1, 16));
    }

    @Test
    void aReaderHoldingNothingMayAlwaysReadOnePiece() {
        PrefetchWindow w = new PrefetchWindow(1 << 20, () -> 16);
        assertTrue(w.mayIssue(0, 64 << 20, 0), "a piece larger than the limit, an empty pool: it must still try");
    }

    @Test
    void aTinyPoolReservesNothing() {
        PrefetchWindow w = new PrefetchWindow(1 << 30, () -> 3);
        assertEquals(0, w.reservedBuffers());
        assertTrue(w.mayIssue(1, 1, 1));
    }

    @Test
    void buffersQuarantinedUnderReadsThatNeverEndDoNotCountInTheReserve() {
        int[] quarantined = {0};
        PrefetchWindow w = new PrefetchWindow(1 << 30, () -> 16 - quarantined[0]);
        assertEquals(4, w.reservedBuffers());
        quarantined[0] = 12; // reads posted to a dead peer the provider never completes
        assertEquals(1, w.reservedBuffers(), "a quarter of the 4 still usable");
        assertTrue(w.mayIssue(1 << 20, 1 << 20, 2), "two of the 4 free: one may still be read ahead");
        quarantined[0] = 0;
        assertEquals(4, w.reservedBuffers(), "back once the provider lets go");
    }
}
