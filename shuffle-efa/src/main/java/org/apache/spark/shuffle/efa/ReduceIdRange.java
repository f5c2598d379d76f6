package org.apache.spark.shuffle.efa;

import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.ShuffleBlockBatchId;
import org.apache.spark.storage.ShuffleBlockId;

/**
 * The reduce ids a shuffle block id asks for, {@code [start, end)}, and the one check every such
 * request passes before an index entry is read: block ids arrive from other processes (Netty
 * fetches, corruption diagnosis), and an id outside the map output would otherwise be answered
 * with whatever bytes the entries beyond its index describe. {@code end} is a long so that
 * {@code reduceId + 1} cannot overflow.
 */
record ReduceIdRange(BlockId block, int shuffleId, long mapId, int start, long end) {

    /** The range {@code block} names, or null when it names no reduce ids (not a shuffle block). */
    static ReduceIdRange of(BlockId block) {
        if (block instanceof ShuffleBlockId id) {
            return new ReduceIdRange(id, id.shuffleId(), id.mapId(), id.reduceId(), id.reduceId() + 1L);
        }
        if (block instanceof ShuffleBlockBatchId id) {
            return new ReduceIdRange(id, id.shuffleId(), id.mapId(), id.startReduceId(), id.endReduceId());
        }
        return null;
    }

    /**
     * Refuses the range unless {@code 0 <= start <= end <= numPartitions} for a map output with
     * {@code numPartitions} partitions; an empty range ({@code start == end}) is allowed.
     */
    void checkWithin(long numPartitions) {
        String why = start < 0 ? "a negative reduce id"
                : start > end ? "a range that ends before it starts"
                : end > numPartitions ? "reduce ids beyond its " + numPartitions + " partitions"
                : null;
        if (why != null) {
            throw new IllegalArgumentException("refused " + block + ": it asks for reduce ids [" + start + ", " + end
                    + ") of map output " + mapId + " of shuffle " + shuffleId + ", " + why
                    + " (valid: 0 <= start <= end <= " + numPartitions + ")");
        }
    }
}
