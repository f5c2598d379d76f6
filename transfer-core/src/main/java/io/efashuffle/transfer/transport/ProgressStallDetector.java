package io.efashuffle.transfer.transport;

import java.time.Duration;

/**
 * Tells when a rail's progress thread is stuck inside the provider rather than slow: it has not come
 * back to its loop for longer than any operation may take plus a grace, while work waits on it.
 * (A peer killed while holding the spinlock of its shared-memory region leaves shm's fi_read
 * spinning for good: no completion, no error, no return.) An idle thread may block as long as it
 * likes, and a long call with nothing waiting (registering a large region at start) is not a stall.
 */
final class ProgressStallDetector {
    /** Beyond the operation timeout, so that a slow but live provider call is never taken for a stall. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final long limitNanos;

    ProgressStallDetector(Duration operationTimeout) {
        this.limitNanos = operationTimeout.plus(GRACE).toNanos();
    }

    /**
     * @param lastBeatNanos when the progress thread last came back to its loop ({@link System#nanoTime})
     * @param waiting       whether operations or commands wait on the thread
     */
    boolean stalled(long lastBeatNanos, long nowNanos, boolean waiting) {
        return waiting && nowNanos - lastBeatNanos > limitNanos;
    }

    long limitNanos() {
        return limitNanos;
    }
}
