package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexBatchesTest {
    private static MapRead map(int mapIndex) {
        return new MapRead(new MapOutputLocation(0, mapIndex, mapIndex, "e", "s", 0, 0, 0, 100, 0), null, null);
    }

    @Test
    void smallReadsShareOneBatch() {
        IndexBatches packed = new IndexBatches(4096);
        for (int m = 0; m < 10; m++) {
            packed.add(map(m), new long[5], 1000L * m);
        }
        assertEquals(1, packed.batches.size());
        assertEquals(10, packed.batches.getFirst().size());
    }

    @Test
    void aRangeWiderThanWhatIsLeftIsSplitAtTheBatchEdgeAndNothingIsLost() {
        IndexBatches packed = new IndexBatches(100); // 12 longs per batch (96 bytes)
        long[] a = new long[7];
        long[] b = new long[20];
        packed.add(map(0), a, 0);
        packed.add(map(1), b, 8000);

        assertEquals(3, packed.batches.size());
        for (List<IndexBatches.Chunk> batch : packed.batches) {
            assertTrue(batch.stream().mapToLong(IndexBatches.Chunk::bytes).sum() <= 96);
        }
        List<IndexBatches.Chunk> ofB = packed.batches.stream().flatMap(List::stream).filter(c -> c.into() == b).toList();
        assertEquals(List.of(0, 5, 17), ofB.stream().map(IndexBatches.Chunk::from).toList());
        assertEquals(List.of(5, 12, 3), ofB.stream().map(IndexBatches.Chunk::count).toList());
        assertEquals(List.of(8000L, 8040L, 8136L), ofB.stream().map(IndexBatches.Chunk::remoteAddress).toList());
    }

    @Test
    void aCapacityThatIsNotWholeLongsIsRoundedDown() {
        IndexBatches packed = new IndexBatches(15);
        packed.add(map(0), new long[3], 0);
        assertEquals(3, packed.batches.size(), "one long per batch");
    }
}
