package org.apache.spark.shuffle.efa.reader;

/**
 * Decides, map by map in a task's order, whether reading a map's whole index (to share it with the
 * executor's other tasks) is free: it is when the whole indexes chosen so far, this one, and the
 * ranges still to read all fit in the batches the task's own ranges need anyway, so sharing never
 * adds a round trip. Pure arithmetic over byte counts.
 */
final class IndexReadBudget {
    private final long budget;
    private long rest; // range bytes of the maps not yet decided
    private long spent;

    /**
     * @param capacity    bytes one batch holds (a receive buffer, whole longs)
     * @param rangesBytes the task's own index ranges, all maps together
     */
    IndexReadBudget(long capacity, long rangesBytes) {
        this.budget = Math.max(1, (rangesBytes + capacity - 1) / capacity) * capacity;
        this.rest = rangesBytes;
    }

    /** Moves to the next map, whose own range is {@code rangeBytes}. */
    void next(long rangeBytes) {
        rest -= rangeBytes;
    }

    /** Whether this map's whole index ({@code wholeBytes}) fits besides what is spent and still to come. */
    boolean wholeFits(long wholeBytes) {
        return spent + wholeBytes + rest <= budget;
    }

    /** This map is read: its whole index or its range, {@code bytes} of the batches. */
    void spend(long bytes) {
        spent += bytes;
    }
}
