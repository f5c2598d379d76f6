package org.apache.spark.shuffle.efa.writer;

import java.lang.foreign.MemorySegment;

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

    /** Offset of partition {@code p} within the data (p may equal numPartitions: the end). */
    public long partitionOffset(MemorySegment arenaMemory, int p) {
        return arenaMemory.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED,
                extent.offset() + indexOffset + 8L * p);
    }
}
