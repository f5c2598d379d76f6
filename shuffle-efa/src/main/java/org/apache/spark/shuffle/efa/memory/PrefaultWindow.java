package org.apache.spark.shuffle.efa.memory;

/**
 * How much of the map-output memory to make resident: everything map outputs have reached so far
 * plus a window ahead of it, never the whole budget up front. A fresh executor's first job then
 * pays for the pages it writes, not for a budget it may never fill; writers stay ahead of faults
 * because populating runs at memory speed and map tasks write far slower.
 */
final class PrefaultWindow {
    private final long size;
    private final long ahead;
    private final long chunk;

    PrefaultWindow(long size, long ahead, long chunk) {
        if (size < 0 || ahead <= 0 || chunk <= 0) {
            throw new IllegalArgumentException("size " + size + ", ahead " + ahead + ", chunk " + chunk);
        }
        this.size = size;
        this.ahead = ahead;
        this.chunk = chunk;
    }

    /** The end of what should be resident when map outputs have used memory up to {@code highWater}. */
    long target(long highWater) {
        long used = Math.max(0, highWater);
        if (used >= size - ahead) { // also where adding the window would overflow
            return size;
        }
        return Math.min(size, (used + ahead + chunk - 1) / chunk * chunk);
    }

    /** The next range to populate from {@code done} towards {@code target}, at most one chunk; 0 when done. */
    long nextLength(long done, long target) {
        return Math.max(0, Math.min(chunk, Math.min(target, size) - done));
    }
}
