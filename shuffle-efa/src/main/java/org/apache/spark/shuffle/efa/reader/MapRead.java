package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.ShuffleBlockId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One map output a reduce task reads: its location, the requested partitions in order and, once
 * its index is known, where each starts and Spark's checksum of each.
 */
final class MapRead {
    final MapOutputLocation location;
    final BlockManagerId address;
    final StagedMapOutput local; // non-null: same executor, read in place
    final List<ShuffleBlockId> blocks = new ArrayList<>();
    final Map<Integer, Long> statusSizes = new HashMap<>(); // reduce id -> size in the MapStatus
    long[] offsets; // offsets[i] = start of partition (first + i) in the map's data
    long[] checksums; // checksums[i] = Spark's checksum of partition (first + i); null: none
    long segmentId = -1;

    MapRead(MapOutputLocation location, BlockManagerId address, StagedMapOutput local) {
        this.location = location;
        this.address = address;
        this.local = local;
    }

    void add(ShuffleBlockId id, long statusSize) {
        blocks.add(id);
        statusSizes.put(id.reduceId(), statusSize);
    }

    int first() {
        return blocks.getFirst().reduceId();
    }

    int last() {
        return blocks.getLast().reduceId();
    }

    /** Bytes of this task's index range and checksums of the map. */
    long rangeIndexBytes() {
        return MapOutputIndexes.indexBytes(last() - first() + 1, location.checksumAddress() != 0);
    }
}
