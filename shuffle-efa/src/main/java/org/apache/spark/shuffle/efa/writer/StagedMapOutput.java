package org.apache.spark.shuffle.efa.writer;

import java.lang.foreign.MemorySegment;

/**
 * One committed map output in registered memory: partitions back to back from the extent's
 * start, then the index, {@code numPartitions + 1} little-endian offsets, at {@code indexOffset}.
 */
public record StagedMapOutput(int shuffleId, int mapIndex, long mapId, ShuffleArena.Extent extent, long dataLength,
                              long indexOffset, int numPartitions) {

    /** Absolute address of the data, as remote readers address it. */
    public long dataAddress(MemorySegment arenaMemory) {
        return arenaMemory.address() + extent.offset();
    }

    public long indexAddress(MemorySegment arenaMemory) {
        return arenaMemory.address() + extent.offset() + indexOffset;
    }

    /** Offset of partition {@code p} within the data (p may equal numPartitions: the end). */
    public long partitionOffset(MemorySegment arenaMemory, int p) {
        return arenaMemory.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED,
                extent.offset() + indexOffset + 8L * p);
    }
}
