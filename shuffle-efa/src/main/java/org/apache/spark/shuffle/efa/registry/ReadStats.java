package org.apache.spark.shuffle.efa.registry;

/** Plugin counters summed over tasks: what went through the fabric and what did not. */
public record ReadStats(long fabricBytes, long fabricBlocks, long localStagedBytes, long fallbackBlocks,
                        long indexReads, long dataReads, long retries, long stagedMapOutputs) {
    public static final ReadStats ZERO = new ReadStats(0, 0, 0, 0, 0, 0, 0, 0);

    public ReadStats plus(ReadStats o) {
        return new ReadStats(fabricBytes + o.fabricBytes, fabricBlocks + o.fabricBlocks,
                localStagedBytes + o.localStagedBytes, fallbackBlocks + o.fallbackBlocks, indexReads + o.indexReads,
                dataReads + o.dataReads, retries + o.retries, stagedMapOutputs + o.stagedMapOutputs);
    }
}
