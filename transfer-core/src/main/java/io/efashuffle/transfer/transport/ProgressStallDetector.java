package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.util.concurrent.TimeUnit;

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

    /** The failure a stalled rail reports to everything waiting on it, and to its owner. */
    static RailFailedException failure(int rail, String provider, long stuckNanos) {
        return new RailFailedException("progress thread of rail " + rail + " (" + provider + ") has been inside the "
                + "provider for " + TimeUnit.NANOSECONDS.toSeconds(stuckNanos) + " s with work waiting (a peer "
                + "that died holding a shared lock leaves it so): the rail is failed, and the memory of its "
                + "operations stays with the provider until the process exits", fabric_h.FI_EIO());
    }
}
