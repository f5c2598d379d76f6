package org.apache.spark.shuffle.efa.fabric;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Fixed-size receive buffers carved from one registered region and shared by the executor's
 * reduce tasks. The pool size bounds the executor's fabric bytes in flight.
 */
public final class ReceivePool {
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private final long bufferSize;
    private final int total;

    public ReceivePool(MemorySegment region, long bufferSize) {
        this.bufferSize = bufferSize;
        int n = (int) (region.byteSize() / bufferSize);
        for (int i = 0; i < n; i++) {
            free.add(region.asSlice(i * bufferSize, bufferSize));
        }
        this.total = n;
    }

    public long bufferSize() {
        return bufferSize;
    }

    public synchronized MemorySegment tryAcquire() {
        return free.pollFirst();
    }

    /** Waits for a buffer; null on timeout. */
    public synchronized MemorySegment acquire(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (free.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return free.pollFirst();
    }

    public synchronized void release(MemorySegment buffer) {
        free.addFirst(buffer);
        notifyAll();
    }

    public int total() {
        return total;
    }
}
