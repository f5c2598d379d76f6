package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.writer.ShuffleArena;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.ShuffleBlockId;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadPlanTest {
    private static final long DATA = 1L << 30;

    /** A remote map whose partitions {@code first..} have {@code sizes}, all with those sizes in the MapStatus. */
    private static MapRead remote(int mapIndex, int first, long... sizes) {
        MapRead m = new MapRead(new MapOutputLocation(0, mapIndex, 100 + mapIndex, "exec-b", "seg-b",
                DATA * (mapIndex + 1), 1 << 20, 0, 1000, 0), BlockManagerId.apply("exec-b", "b", 7337, scala.Option.empty()),
                null);
        m.offsets = new long[sizes.length + 1];
        m.offsets[0] = 64L * mapIndex; // a task's range starts wherever its first partition does
        for (int i = 0; i < sizes.length; i++) {
            m.add(new ShuffleBlockId(0, m.location.mapId(), first + i), sizes[i]);
            m.offsets[i + 1] = m.offsets[i] + sizes[i];
        }
        return m;
    }

    @Test
    void rangesAreLaidEndToEndAndSplitAtTheBufferSize() {
        MapRead a = remote(0, 3, 70, 0, 90); // 160 bytes: pieces of 100 + 60
        MapRead b = remote(1, 3, 30, 30); // 60 bytes: one piece
        ReadPlan plan = ReadPlan.lay(List.of(a, b), 100, null);

        assertEquals(List.of(
                new ReadPlan.Piece(a, DATA, 100, 0),
                new ReadPlan.Piece(a, DATA + 100, 60, 100),
                new ReadPlan.Piece(b, 2 * DATA + 64, 60, 160)), plan.pieces);
        // The empty partition yields no block; the others sit where their bytes land.
        assertEquals(List.of(0L, 70L, 160L, 190L), plan.blocks.stream().map(ReadPlan.Block::start).toList());
        assertEquals(List.of(70L, 90L, 30L, 30L), plan.blocks.stream().map(ReadPlan.Block::length).toList());
        assertEquals(List.of(3, 5, 3, 4), plan.blocks.stream().map(x -> x.id().reduceId()).toList());
        assertTrue(plan.blocks.stream().allMatch(ReadPlan.Block::remote));
    }

    @Test
    void theBytesOfEveryPieceAreCoveredExactlyOnce() {
        MapRead a = remote(0, 0, 4096, 1, 8191, 0, 12000);
        ReadPlan plan = ReadPlan.lay(List.of(a), 4096, null);
        long next = 0;
        for (ReadPlan.Piece p : plan.pieces) {
            assertEquals(next, p.start());
            assertTrue(p.length() > 0 && p.length() <= 4096, "piece of " + p.length());
            next = p.end();
        }
        assertEquals(4096 + 1 + 8191 + 12000, next);
    }

    @Test
    void pieceAtFindsThePieceHoldingAByteFromAnyLowerBound() {
        ReadPlan plan = ReadPlan.lay(List.of(remote(0, 0, 250)), 100, null);
        assertEquals(0, plan.pieceAt(0, 0));
        assertEquals(0, plan.pieceAt(99, 0));
        assertEquals(1, plan.pieceAt(100, 0));
        assertEquals(2, plan.pieceAt(249, 0));
        assertEquals(2, plan.pieceAt(249, 2));
        ReadPlan.Block spanning = plan.blocks.getFirst();
        assertEquals(2, plan.pieceAt(spanning.end() - 1, 0) - plan.pieceAt(spanning.start(), 0));
    }

    @Test
    void sameExecutorBlocksComeFirstAsSlicesOfItsOwnMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(1 << 16);
            MapRead r = remote(0, 0, 10, 20);
            MapRead l = new MapRead(r.location, r.address,
                    new StagedMapOutput(0, 1, 101, new ShuffleArena.Extent(4096, 1024), 30, 30, 2, -1));
            l.add(new ShuffleBlockId(0, 101, 0), 10);
            l.add(new ShuffleBlockId(0, 101, 1), 20);
            l.offsets = new long[] {0, 10, 30};
            ReadPlan plan = ReadPlan.lay(List.of(r, l), 100, memory);

            assertEquals(List.of(false, false, true, true), plan.blocks.stream().map(ReadPlan.Block::remote).toList());
            ReadPlan.Block second = plan.blocks.get(1);
            assertEquals(memory.address() + 4096 + 10, second.localBytes().address());
            assertEquals(20, second.localBytes().byteSize());
            assertEquals(1, plan.pieces.size(), "nothing is read for the same-executor map");
        }
    }

    @Test
    void anIndexThatContradictsTheMapStatusIsRefused() {
        MapRead zeros = remote(0, 0, 10, 20);
        zeros.offsets = new long[] {0, 0, 0}; // an index of zeros where the MapStatus has bytes
        FabricFetchException e = assertThrows(FabricFetchException.class,
                () -> ReadPlan.lay(List.of(zeros), 100, null));
        assertTrue(e.getMessage().contains("where its MapStatus says 10"), e.getMessage());
        assertEquals(zeros, e.map);

        MapRead phantom = remote(0, 0, 0);
        phantom.offsets = new long[] {0, 50}; // bytes where the MapStatus has an empty block
        assertThrows(FabricFetchException.class, () -> ReadPlan.lay(List.of(phantom), 100, null));
    }

    @Test
    void aTaskWithNothingToReadHasNoPieces() {
        ReadPlan plan = ReadPlan.lay(List.of(remote(0, 0, 0, 0)), 100, null);
        assertTrue(plan.blocks.isEmpty());
        assertTrue(plan.pieces.isEmpty());
        assertNull(plan.blocks.stream().findFirst().orElse(null));
    }

    @Test
    void aRunIsOneMapsBlocksWhoseBytesFollowOnReadTheSameWay() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(1 << 16);
            MapRead a = remote(0, 3, 70, 0, 90, 5); // the empty partition leaves no gap
            MapRead b = remote(1, 3, 30);
            MapRead l = new MapRead(b.location, b.address,
                    new StagedMapOutput(0, 2, 102, new ShuffleArena.Extent(4096, 1024), 30, 30, 2, -1));
            l.add(new ShuffleBlockId(0, 102, 0), 10);
            l.add(new ShuffleBlockId(0, 102, 1), 20);
            l.offsets = new long[] {0, 10, 30};
            ReadPlan plan = ReadPlan.lay(List.of(a, b, l), 100, memory);

            // Blocks: l0, l1 (in place), a3, a5, a6, b3 (through buffers; a's span a piece boundary).
            assertEquals(2, plan.runEnd(0), "one map's blocks in place are one run");
            assertEquals(2, plan.runEnd(1));
            assertEquals(5, plan.runEnd(2), "a run does not stop at a piece boundary");
            assertEquals(6, plan.runEnd(5), "another map's block starts a run of its own");
        }
    }

    @Test
    void blocksOfOneMapWithAGapBetweenThemAreNotOneRun() {
        MapRead a = remote(0, 0, 10, 20);
        ReadPlan plan = ReadPlan.lay(List.of(a), 100, null);
        assertEquals(2, plan.runEnd(0));
        MapRead gap = remote(0, 0, 10, 20);
        gap.blocks.remove(1); // partition 1 not requested: partition 0's bytes end where no block starts
        gap.blocks.add(new ShuffleBlockId(0, gap.location.mapId(), 2));
        gap.statusSizes.put(2, 5L);
        gap.offsets = new long[] {0, 10, 30, 35};
        ReadPlan gapped = ReadPlan.lay(List.of(gap), 100, null);
        assertEquals(List.of(0, 2), gapped.blocks.stream().map(x -> x.id().reduceId()).toList());
        assertEquals(1, gapped.runEnd(0));
    }

    @Test
    void aRunThroughBuffersSpansNoMoreThanTheBuffersItMayTakeBeforeItIsHandedOut() {
        MapRead a = remote(0, 0, 60, 60, 60, 60, 60); // 300 bytes in pieces of 100: 0-99, 100-199, 200-299
        ReadPlan plan = ReadPlan.lay(List.of(a), 100, null);
        assertEquals(3, plan.pieces.size());
        assertEquals(5, plan.runEnd(0), "unbounded: the whole map");
        assertEquals(5, plan.runEnd(0, 3), "three pieces hold it all");
        assertEquals(3, plan.runEnd(0, 2), "blocks 0-2 end at byte 179, in the second piece; block 3 reaches the third");
        assertEquals(1, plan.runEnd(0, 1), "block 1 crosses into the second piece");
        assertEquals(2, plan.runEnd(1, 1), "block 1 starts in piece 0, block 2 ends in piece 1");
        MapRead wide = remote(1, 0, 250, 10);
        ReadPlan widePlan = ReadPlan.lay(List.of(wide), 100, null);
        assertEquals(1, widePlan.runEnd(0, 2), "a first block wider than the bound is a run of its own");
    }
}
