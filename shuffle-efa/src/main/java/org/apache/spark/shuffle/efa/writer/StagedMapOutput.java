package org.apache.spark.shuffle.efa.writer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * One committed map output in registered memory: partitions back to back from the extent's
 * start, then the index, {@code numPartitions + 1} offsets in native byte order, at
 * {@code indexOffset}, then (when Spark computed them) one checksum per partition at
 * {@code checksumOffset} ({@code -1}: none).
 */
public record StagedMapOutput(int shuffleId, int mapIndex, long mapId, ShuffleArena.Extent extent, long dataLength,
                              long indexOffset, int numPartitions, long checksumOffset) {

    /** Absolute address of the data, as remote readers address it. */
    public long dataAddress(MemorySegment arenaMemory) {
        return arenaMemory.address() + extent.offset();
    }

    public long indexAddress(MemorySegment arenaMemory) {
        return arenaMemory.address() + extent.offset() + indexOffset;
    }

    /** Absolute address of the checksums, or 0 when the output has none. */
    public long checksumAddress(MemorySegment arenaMemory) {
        return checksumOffset < 0 ? 0 : arenaMemory.address() + extent.offset() + checksumOffset;
    }

    /**
     * Offset of partition {@code p} within the data (p may equal numPartitions: the end). A p
     * outside the index is an IndexOutOfBoundsException, never a read of the memory after it.
     */
    public long partitionOffset(MemorySegment arenaMemory, int p) {
        Objects.checkIndex(p, numPartitions + 1);
        return arenaMemory.get(ValueLayout.JAVA_LONG_UNALIGNED, extent.offset() + indexOffset + 8L * p);
    }

    /**
     * The data of partitions {@code [from, to)}, a view of the arena. The callers check the ids
     * against {@code numPartitions} first, with a message for the requester; this only guards the
     * memory: the index entries must lie within this output's data.
     */
    public MemorySegment partitions(MemorySegment arenaMemory, int from, int to) {
        long start = partitionOffset(arenaMemory, from);
        long end = partitionOffset(arenaMemory, to);
        if (start < 0 || start > end || end > dataLength) {
            throw new IllegalStateException("index of map output " + mapId + " of shuffle " + shuffleId
                    + " is corrupt: partitions [" + from + ", " + to + ") at [" + start + ", " + end
                    + ") outside its " + dataLength + " data bytes");
        }
        return arenaMemory.asSlice(extent.offset() + start, end - start);
    }
}
