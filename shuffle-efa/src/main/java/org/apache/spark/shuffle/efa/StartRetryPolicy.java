package org.apache.spark.shuffle.efa;

import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.ffi.fabric_h;
import io.efashuffle.transfer.transport.TransportException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * When an executor may try again to start its fabric after a failed start. A transient failure
 * (libfabric answering EAGAIN, memlock or memory momentarily short, the driver slow to answer)
 * is retried after 1 s, 2 s, 4 s … up to a bound; a permanent one (no libfabric, no such provider
 * or domain, the driver without the registry) is not retried. Not thread-safe: the runtime calls
 * it under its lock.
 */
final class StartRetryPolicy {
    private static final int EINTR = 4;
    private static final int EBUSY = 16;

    private final long firstDelayNanos;
    private final long maxDelayNanos;
    private final int maxAttempts;
    private final LongSupplier nanoClock;
    private int failures;
    private long nextAttemptNanos;
    private boolean givenUp;

    StartRetryPolicy(Duration firstDelay, Duration maxDelay, int maxAttempts, LongSupplier nanoClock) {
        this.firstDelayNanos = firstDelay.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
        this.maxAttempts = maxAttempts;
        this.nanoClock = nanoClock;
    }

    /** 1 s, doubling, at most 60 s apart, 8 attempts in all (about 3 minutes of trying). */
    static StartRetryPolicy standard() {
        return new StartRetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 8, System::nanoTime);
    }

    /** Whether a start may be attempted now. */
    boolean mayAttempt() {
        return !givenUp && (failures == 0 || nanoClock.getAsLong() - nextAttemptNanos >= 0);
    }

    /** Whether no further attempt will be made. */
    boolean givenUp() {
        return givenUp;
    }

    /** Records a failed attempt; returns the wait before the next one, or empty when there is none. */
    Optional<Duration> failed(Throwable cause) {
        failures++;
        if (!isTransient(cause) || failures >= maxAttempts) {
            givenUp = true;
            return Optional.empty();
        }
        long delay = firstDelayNanos << Math.min(failures - 1, 30);
        if (delay <= 0 || delay > maxDelayNanos) {
            delay = maxDelayNanos;
        }
        nextAttemptNanos = nanoClock.getAsLong() + delay;
        return Optional.of(Duration.ofNanos(delay));
    }

    /** A failure that may go away by itself; anything not known to be transient is permanent. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
            int errno = t instanceof FabricException f ? f.errno() : t instanceof TransportException e ? e.errno() : 0;
            if (errno == fabric_h.FI_EAGAIN() || errno == fabric_h.FI_ENOMEM() || errno == fabric_h.FI_ETIMEDOUT()
                    || errno == EINTR || errno == EBUSY) {
                return true;
            }
        }
        return false;
    }
}
