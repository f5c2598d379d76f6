package org.apache.spark.shuffle.efa.writer;

import org.apache.spark.shuffle.efa.memory.NativeMapping;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShuffleArenaTest {
    @Test
    void extentsNeverOverlapAndEverythingComesBack() {
        try (NativeMapping m = new NativeMapping(64L << 20)) {
            ShuffleArena arena = new ShuffleArena(m.memory());
            Random rnd = new Random(1);
            List<ShuffleArena.Extent> live = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                if (!live.isEmpty() && rnd.nextInt(3) == 0) {
                    arena.release(live.remove(rnd.nextInt(live.size())));
                    continue;
                }
                ShuffleArena.Extent e = arena.allocate(1 + rnd.nextInt(1 << 20));
                if (e == null) {
                    continue;
                }
                if (rnd.nextBoolean()) {
                    ShuffleArena.Extent g = arena.extend(e, e.length() + rnd.nextInt(1 << 19));
                    e = g == null ? e : g;
                }
                e = arena.trim(e, rnd.nextInt((int) e.length()) + 1);
                for (ShuffleArena.Extent o : live) {
                    assertTrue(e.offset() + e.length() <= o.offset() || o.offset() + o.length() <= e.offset(),
                            e + " overlaps " + o);
                }
                live.add(e);
            }
            live.forEach(arena::release);
            assertEquals(0, arena.usedBytes());
            assertNotNull(arena.allocate(arena.capacity()), "free space coalesced back into one range");
        }
    }

    @Test
    void fullArenaSaysSoAndDoubleReleaseIsCaught() {
        try (NativeMapping m = new NativeMapping(1 << 20)) {
            ShuffleArena arena = new ShuffleArena(m.memory());
            ShuffleArena.Extent all = arena.allocate(1 << 20);
            assertNotNull(all);
            assertNull(arena.allocate(1));
            assertNull(arena.extend(all, (1 << 20) + 1));
            arena.release(all);
            assertThrows(IllegalStateException.class, () -> arena.release(all));
        }
    }

    @Test
    void theHighWaterMarkIsReportedOnlyWhenAnExtentEndsBeyondEveryEarlierOne() {
        try (NativeMapping m = new NativeMapping(16L << 20)) {
            List<Long> heard = new ArrayList<>();
            ShuffleArena arena = new ShuffleArena(m.memory(), heard::add);
            ShuffleArena.Extent a = arena.allocate(1 << 20);
            ShuffleArena.Extent b = arena.allocate(1 << 20);
            assertEquals(List.of(1L << 20, 2L << 20), heard);
            arena.release(a);
            arena.allocate(4096); // reuses a's range: below the mark
            assertEquals(2, heard.size());
            assertNotNull(arena.extend(b, 3 << 20));
            assertEquals(List.of(1L << 20, 2L << 20, 4L << 20), heard);
            assertEquals(4L << 20, arena.highWater());
        }
    }

    @Test
    void aRelocatedExtentGoesToTheStartOfTheLargestFreeRange() {
        try (NativeMapping m = new NativeMapping(16L << 20)) {
            ShuffleArena arena = new ShuffleArena(m.memory());
            ShuffleArena.Extent a = arena.allocate(1 << 20);
            ShuffleArena.Extent b = arena.allocate(2 << 20);
            ShuffleArena.Extent c = arena.allocate(1 << 20);
            arena.release(b); // a 2 MiB hole at 1 MiB, then 12 MiB free after c
            assertEquals(1L << 20, arena.allocate(1 << 20).offset(), "a new extent: first fit");
            ShuffleArena.Extent moved = arena.relocate(1 << 20);
            assertEquals(c.offset() + c.length(), moved.offset(), "a moved one: where it can grow");
            assertNotNull(arena.extend(moved, 8 << 20));
            assertNull(arena.relocate(16L << 20));
            arena.release(a);
        }
    }
}
