package io.efashuffle.transfer.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Requests submitted together with {@link TransferEngine#submitAsync}: their outcome, each
 * request's own error (to blame the right target), and when their local memory is free again.
 */
public final class Transfer {
    private static final Transfer EMPTY = new Transfer(null);

    private final Batch batch;

    Transfer(Batch batch) {
        this.batch = batch;
    }

    static Transfer empty() {
        return EMPTY;
    }

    /** Completes when every request has an outcome: exceptionally with the first error. */
    public CompletableFuture<Void> done() {
        return batch == null ? CompletableFuture.completedFuture(null) : batch.completion();
    }

    /**
     * Completes when the provider holds none of the operations any more, so the local memory
     * they read into may be reused. Later than {@link #done()} when an operation timed out or its
     * endpoint was closing; never exceptional.
     */
    public CompletableFuture<Void> released() {
        return batch == null ? CompletableFuture.completedFuture(null) : batch.released();
    }

    public boolean isReleased() {
        return released().isDone();
    }

    /** The error of request {@code i} (in submit order) once it is done, else null. */
    public RuntimeException error(int i) {
        return batch == null ? null : batch.tasks[i].error();
    }

    /** Whether request {@code i} has its outcome. */
    public boolean isDone(int i) {
        return batch == null || batch.tasks[i].isDone();
    }

    public int size() {
        return batch == null ? 0 : batch.size();
    }
}
