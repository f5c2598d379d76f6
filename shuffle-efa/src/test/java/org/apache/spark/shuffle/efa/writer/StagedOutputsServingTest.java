package org.apache.spark.shuffle.efa.writer;

import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.shuffle.efa.memory.NativeMapping;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A staged output's memory is not reused while Spark still serves a block of it (Netty sending,
 * a local reader holding a duplicate): removing its shuffle defers the free until the buffer is
 * released or, for holders that never release, until no view of it is reachable.
 */
class StagedOutputsServingTest {
    private static final long PAGE = ShuffleArena.PAGE;

    /** One map output of {@code partitions} 100-byte partitions at the arena's start, committed. */
    private static StagedMapOutput stage(StagedOutputs outputs, int shuffleId, int partitions) {
        ShuffleArena arena = outputs.arena();
        long data = 100L * partitions;
        ShuffleArena.Extent extent = arena.allocate(data + 8L * (partitions + 1));
        MemorySegment m = arena.memory();
        for (int p = 0; p <= partitions; p++) {
            m.set(ValueLayout.JAVA_LONG_UNALIGNED, extent.offset() + data + 8L * p, 100L * p);
        }
        StagedMapOutput out = new StagedMapOutput(shuffleId, 0, 7, extent, data, data, partitions, -1);
        outputs.add(out);
        return out;
    }

    @Test
    void aRemovedOutputKeepsItsMemoryUntilTheServedBlockIsReleased() {
        try (NativeMapping m = new NativeMapping(64 * PAGE)) {
            StagedOutputs outputs = new StagedOutputs(new ShuffleArena(m.memory()));
            StagedMapOutput out = stage(outputs, 1, 4);
            long before = outputs.arena().usedBytes();
            ManagedBuffer block = outputs.serve(out, 1, 3);
            assertEquals(200, block.size());
            block.retain(); // a second holder (Spark's local read path retains)
            assertEquals(1, outputs.removeShuffle(1));
            assertEquals(before, outputs.arena().usedBytes(), "freed while a block was being served");
            block.release();
            assertEquals(before, outputs.arena().usedBytes(), "freed while a holder remained");
            block.release();
            assertEquals(0, outputs.arena().usedBytes());
            assertEquals(0, outputs.servedBuffers());
            block.release(); // an extra release frees nothing twice
            assertEquals(0, outputs.arena().usedBytes());
        }
    }

    @Test
    void anOutputNotBeingServedIsFreedAtOnceAndARemovedOneIsNotServed() {
        try (NativeMapping m = new NativeMapping(64 * PAGE)) {
            StagedOutputs outputs = new StagedOutputs(new ShuffleArena(m.memory()));
            StagedMapOutput out = stage(outputs, 1, 4);
            outputs.serve(out, 0, 4).release();
            assertEquals(1, outputs.removeShuffle(1));
            assertEquals(0, outputs.arena().usedBytes());
            assertNull(outputs.serve(out, 0, 4));
            assertEquals(0, outputs.servedBuffers());
        }
    }

    @Test
    void aBufferNeverReleasedIsLetGoOnlyWhenNoViewOfItIsReachable() throws InterruptedException {
        try (NativeMapping m = new NativeMapping(64 * PAGE)) {
            StagedOutputs outputs = new StagedOutputs(new ShuffleArena(m.memory()));
            StagedMapOutput out = stage(outputs, 1, 4);
            ByteBuffer duplicate = outputs.serve(out, 0, 4).nioByteBuffer(); // the buffer itself is dropped
            outputs.removeShuffle(1);
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(outputs.arena().usedBytes() > 0, "freed while a duplicate of the view was reachable");
            assertEquals(400, duplicate.remaining());
            duplicate = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (outputs.arena().usedBytes() > 0 && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(0, outputs.arena().usedBytes(), "never freed after every view became unreachable");
            assertTrue(outputs.awaitServed(Duration.ZERO));
        }
    }

    @Test
    void awaitServedWaitsForHolders() throws InterruptedException {
        try (NativeMapping m = new NativeMapping(64 * PAGE)) {
            StagedOutputs outputs = new StagedOutputs(new ShuffleArena(m.memory()));
            StagedMapOutput out = stage(outputs, 1, 4);
            ManagedBuffer block = outputs.serve(out, 0, 1);
            assertFalse(outputs.awaitServed(Duration.ofMillis(30)));
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    // released anyway
                }
                block.release();
            });
            assertTrue(outputs.awaitServed(Duration.ofSeconds(10)));
        }
    }
}
