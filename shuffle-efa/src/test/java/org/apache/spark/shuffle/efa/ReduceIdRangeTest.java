package org.apache.spark.shuffle.efa;

import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.ShuffleBlockBatchId;
import org.apache.spark.storage.ShuffleBlockId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReduceIdRangeTest {
    private static final int PARTITIONS = 4;

    @Test
    void blockIdsNameTheirRange() {
        ReduceIdRange one = ReduceIdRange.of(new ShuffleBlockId(3, 77L, 2));
        assertEquals(new ReduceIdRange(new ShuffleBlockId(3, 77L, 2), 3, 77L, 2, 3), one);
        ReduceIdRange batch = ReduceIdRange.of(new ShuffleBlockBatchId(3, 77L, 1, 4));
        assertEquals(1, batch.start());
        assertEquals(4, batch.end());
        assertNull(ReduceIdRange.of(new RDDBlockId(1, 2)), "not a shuffle block");
    }

    @Test
    void rangesInsideTheOutputPass() {
        for (int r = 0; r < PARTITIONS; r++) {
            ReduceIdRange range = ReduceIdRange.of(new ShuffleBlockId(0, 1L, r));
            assertDoesNotThrow(() -> range.checkWithin(PARTITIONS));
        }
        assertDoesNotThrow(() -> ReduceIdRange.of(new ShuffleBlockBatchId(0, 1L, 0, PARTITIONS)).checkWithin(PARTITIONS));
        assertDoesNotThrow(() -> ReduceIdRange.of(new ShuffleBlockBatchId(0, 1L, 2, 2)).checkWithin(PARTITIONS),
                "an empty range is nothing to read");
    }

    @Test
    void rangesOutsideTheOutputAreRefusedWithTheReason() {
        assertRefused(new ShuffleBlockId(0, 1L, PARTITIONS), "beyond its 4 partitions");
        assertRefused(new ShuffleBlockId(0, 1L, -1), "a negative reduce id");
        assertRefused(new ShuffleBlockId(0, 1L, Integer.MAX_VALUE), "beyond its 4 partitions"); // + 1 must not wrap
        assertRefused(new ShuffleBlockId(0, 1L, Integer.MIN_VALUE), "a negative reduce id");
        assertRefused(new ShuffleBlockBatchId(0, 1L, 0, PARTITIONS + 1), "beyond its 4 partitions");
        assertRefused(new ShuffleBlockBatchId(0, 1L, -2, 1), "a negative reduce id");
        assertRefused(new ShuffleBlockBatchId(0, 1L, 3, 1), "a range that ends before it starts");
        assertRefused(new ShuffleBlockBatchId(0, 1L, 1, Integer.MIN_VALUE), "a range that ends before it starts");
    }

    private static void assertRefused(org.apache.spark.storage.BlockId block, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReduceIdRange.of(block).checkWithin(PARTITIONS));
        assertTrue(e.getMessage().contains(block.toString()) && e.getMessage().contains(reason), e.getMessage());
    }
}
