package io.efashuffle.transfer.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Requests submitted together with {@link TransferEngine#submitAsync}: their outcome, each
 * request's own error (to blame the right target), and when their local memory is free again.
 */
public interface Transfer {

    /** Completes when every request has an outcome: exceptionally with the first error. */
    CompletableFuture<Void> done();

    /**
     * Completes when the provider holds none of the operations any more, so the local memory
     * they read into may be reused. Later than {@link #done()} when an operation timed out or its
     * endpoint was closing; never exceptional.
     */
    CompletableFuture<Void> released();

    default boolean isReleased() {
        return released().isDone();
    }

    /** The error of request {@code i} (in submit order) once it is done, else null. */
    RuntimeException error(int i);

    /** Whether request {@code i} has its outcome. */
    boolean isDone(int i);

    int size();
}
