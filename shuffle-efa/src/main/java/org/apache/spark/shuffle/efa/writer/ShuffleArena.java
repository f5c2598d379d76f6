package org.apache.spark.shuffle.efa.writer;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Hands out page-aligned extents of the executor's registered shuffle memory: first fit over a
 * free list that coalesces on release. A map output is written into one extent, which may grow in
 * place; at commit it is trimmed to what was written, so each map output is one contiguous range.
 */
public final class ShuffleArena {
    public static final long PAGE = 4096;

    private final MemorySegment memory;
    private final TreeMap<Long, Long> free = new TreeMap<>(); // offset -> length
    private final LongConsumer highWaterListener;
    private long used;
    private long highWater;

    public ShuffleArena(MemorySegment memory) {
        this(memory, end -> { });
    }

    /**
     * {@code highWaterListener} hears, under the arena's lock (so it must be quick), each time an
     * extent ends beyond every earlier one: the end of the memory map outputs have used so far.
     */
    public ShuffleArena(MemorySegment memory, LongConsumer highWaterListener) {
        this.memory = memory;
        this.highWaterListener = highWaterListener;
        long usable = memory.byteSize() / PAGE * PAGE;
        if (usable > 0) {
            free.put(0L, usable);
        }
    }

    public record Extent(long offset, long length) {}

    public MemorySegment memory() {
        return memory;
    }

    public long capacity() {
        return memory.byteSize() / PAGE * PAGE;
    }

    public synchronized long usedBytes() {
        return used;
    }

    /** An extent of at least {@code bytes} in the first free range that holds it, or null when none does. */
    public synchronized Extent allocate(long bytes) {
        long want = roundUp(bytes);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            if (e.getValue() >= want) {
                return take(e.getKey(), e.getValue(), want);
            }
        }
        return null;
    }

    /**
     * An extent of at least {@code bytes} for a writer whose extent cannot grow in place (it
     * copies its bytes there, then releases the old one): at the start of the largest free range,
     * where it is likeliest to grow in place again, not in the first hole that holds it, next to
     * another writer's extent. Null when no range is large enough.
     */
    public synchronized Extent relocate(long bytes) {
        long want = roundUp(bytes);
        long best = -1, bestLength = 0;
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            if (e.getValue() >= want && e.getValue() > bestLength) {
                best = e.getKey();
                bestLength = e.getValue();
            }
        }
        return best < 0 ? null : take(best, bestLength, want);
    }

    /** Takes the first {@code want} bytes of the free range at {@code start}. */
    private Extent take(long start, long length, long want) {
        free.remove(start);
        if (length > want) {
            free.put(start + want, length - want);
        }
        used += want;
        reached(start + want);
        return new Extent(start, want);
    }

    /** Grows an extent in place when the range right after it is free; null otherwise. */
    public synchronized Extent extend(Extent extent, long bytes) {
        long want = roundUp(bytes);
        if (want <= extent.length()) {
            return extent;
        }
        long end = extent.offset() + extent.length();
        Long next = free.get(end);
        long more = want - extent.length();
        if (next == null || next < more) {
            return null;
        }
        free.remove(end);
        if (next > more) {
            free.put(end + more, next - more);
        }
        used += more;
        reached(extent.offset() + want);
        return new Extent(extent.offset(), want);
    }

    /** Gives back the tail beyond {@code bytes}. */
    public synchronized Extent trim(Extent extent, long bytes) {
        long keep = roundUp(Math.max(bytes, 1));
        if (keep >= extent.length()) {
            return extent;
        }
        addFree(extent.offset() + keep, extent.length() - keep);
        used -= extent.length() - keep;
        return new Extent(extent.offset(), keep);
    }

    public synchronized void release(Extent extent) {
        addFree(extent.offset(), extent.length());
        used -= extent.length();
    }

    /** The end of the highest extent handed out so far. */
    public synchronized long highWater() {
        return highWater;
    }

    private void reached(long end) {
        if (end > highWater) {
            highWater = end;
            highWaterListener.accept(end);
        }
    }

    private void addFree(long offset, long length) {
        Map.Entry<Long, Long> before = free.floorEntry(offset);
        if (before != null && before.getKey() + before.getValue() > offset) {
            throw new IllegalStateException("extent " + offset + "+" + length + " released twice");
        }
        if (before != null && before.getKey() + before.getValue() == offset) {
            offset = before.getKey();
            length += before.getValue();
            free.remove(before.getKey());
        }
        Long after = free.get(offset + length);
        if (after != null) {
            free.remove(offset + length);
            length += after;
        }
        free.put(offset, length);
    }

    private static long roundUp(long bytes) {
        return (Math.max(bytes, 1) + PAGE - 1) / PAGE * PAGE;
    }
}
