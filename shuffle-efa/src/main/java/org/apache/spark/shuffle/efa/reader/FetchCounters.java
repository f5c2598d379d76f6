package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.ReadStats;

/** One reduce task's plugin counters, reported to the driver when the task ends. */
final class FetchCounters {
    long fabricBytes, fabricBlocks, localStagedBytes, fallbackBlocks, indexReads, dataReads, retries;

    ReadStats toStats() {
        return new ReadStats(fabricBytes, fabricBlocks, localStagedBytes, fallbackBlocks, indexReads, dataReads,
                retries, 0);
    }
}
