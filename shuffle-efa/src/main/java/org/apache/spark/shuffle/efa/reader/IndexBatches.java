package org.apache.spark.shuffle.efa.reader;

import java.util.ArrayList;
import java.util.List;

/**
 * Index reads packed into batches that fill one receive buffer each, so a task's index round costs
 * one round trip per buffer's worth, not one per map. A range wider than what a batch has left
 * (a wide AQE range, a small buffer) is split across batches. Pure: it reads nothing.
 */
final class IndexBatches {
    /**
     * Part of one map's metadata to read: {@code count} longs from {@code remoteAddress} into
     * {@code into[from...]} (its index offsets or its checksums).
     */
    record Chunk(MapRead map, long[] into, int from, int count, long remoteAddress) {
        long bytes() {
            return 8L * count;
        }
    }

    final List<List<Chunk>> batches = new ArrayList<>();
    private final long capacity;
    private long used;

    /** @param capacity bytes of one batch: a receive buffer, rounded down to whole longs */
    IndexBatches(long capacity) {
        this.capacity = capacity / 8 * 8;
        this.used = this.capacity;
    }

    /** Adds {@code into.length} longs read from {@code remoteAddress}, split where a batch is full. */
    void add(MapRead m, long[] into, long remoteAddress) {
        for (int from = 0; from < into.length; ) {
            if (capacity - used < 8) {
                batches.add(new ArrayList<>());
                used = 0;
            }
            int count = (int) Math.min((capacity - used) / 8, into.length - from);
            batches.getLast().add(new Chunk(m, into, from, count, remoteAddress + 8L * from));
            used += 8L * count;
            from += count;
        }
    }
}
