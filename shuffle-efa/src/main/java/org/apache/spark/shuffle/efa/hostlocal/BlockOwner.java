package org.apache.spark.shuffle.efa.hostlocal;

import org.apache.spark.storage.BlockManagerId;

/**
 * Who holds a shuffle block's map output, as the MapOutputTracker says: the owner's block
 * manager, the map index (FetchFailed needs it) and the block's size from the map status (Spark
 * compresses it, so approximate).
 */
public record BlockOwner(BlockManagerId address, int mapIndex, long approximateSize) {}
