package org.apache.spark.shuffle.efa.registry;

/**
 * Every plugin counter, declared once: the reader counts by it, {@link RegistryCodec} sends the
 * values in this order, and both metrics sources name their metrics after {@link #metric}. Add a
 * counter here only; never reorder (the wire order is the declaration order).
 */
public enum ShuffleCounter {
    FABRIC_BYTES("read.fabricBytes", true),
    FABRIC_BLOCKS("read.fabricBlocks", true),
    LOCAL_STAGED_BYTES("read.localStagedBytes", true),
    FALLBACK_BLOCKS("read.fallbackBlocks", true),
    INDEX_READS("read.indexReads", true),
    DATA_READS("read.dataReads", true),
    RETRIES("read.retries", true),
    /** Counted by the driver registry as map tasks publish their outputs, not by reduce tasks. */
    STAGED_MAP_OUTPUTS("write.stagedMapOutputs", false),
    /** Streams that each carried a map output's run of consecutive staged blocks (Spark SQL's batch fetch). */
    BATCHED_STREAMS("read.batchedStreams", true);

    /** The metric's name in both metrics sources. */
    public final String metric;
    /** Counted by reduce tasks (so an executor's metrics source has it too). */
    public final boolean countedByTasks;

    ShuffleCounter(String metric, boolean countedByTasks) {
        this.metric = metric;
        this.countedByTasks = countedByTasks;
    }
}
