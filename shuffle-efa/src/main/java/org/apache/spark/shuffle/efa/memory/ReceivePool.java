package org.apache.spark.shuffle.efa.memory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fixed-size receive buffers carved from one registered region and shared by the executor's
 * reduce tasks. The pool size bounds the executor's fabric bytes in flight.
 *
 * <p>A buffer comes back only when no provider can still write into it: a caller whose read
 * failed or timed out hands it back with {@link #releaseWhen}, and it stays quarantined (counted,
 * never handed out) until the read is released by the provider or its endpoint closes. Nothing
 * is ever dropped from the pool.
 */
public final class ReceivePool {
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private final long bufferSize;
    private final int total;
    private int quarantined;

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

    /** Returns a buffer that no read is using (none was posted, or its read was released). */
    public synchronized void release(MemorySegment buffer) {
        free.addFirst(buffer);
        notifyAll();
    }

    /** Returns a buffer once {@code released} completes; until then it is quarantined. */
    public void releaseWhen(MemorySegment buffer, CompletableFuture<?> released) {
        if (released.isDone()) {
            release(buffer);
            return;
        }
        synchronized (this) {
            quarantined++;
        }
        released.whenComplete((v, e) -> {
            synchronized (this) {
                quarantined--;
            }
            release(buffer);
        });
    }

    public int total() {
        return total;
    }

    public synchronized int freeBuffers() {
        return free.size();
    }

    /** Buffers waiting for a provider to let go of a failed or timed-out read. */
    public synchronized int quarantinedBuffers() {
        return quarantined;
    }
}
