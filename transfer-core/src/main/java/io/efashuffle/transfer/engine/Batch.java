package io.efashuffle.transfer.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mooncake's batch: a fixed number of task slots, filled by submits. Done when every task has an
 * outcome; released when the provider has also let go of every operation, which is when the local
 * memory of the batch may be reused (later than done when an operation timed out).
 */
final class Batch {
    final Task[] tasks;
    private int used;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private volatile RuntimeException firstError;

    Batch(int capacity) {
        tasks = new Task[capacity];
    }

    synchronized int reserve(int count) {
        if (used + count > tasks.length) {
            throw new IllegalArgumentException("batch capacity " + tasks.length + " exceeded: " + used + " used, "
                    + count + " more requested");
        }
        int first = used;
        used += count;
        pending.addAndGet(count);
        held.addAndGet(count);
        return first;
    }

    synchronized int size() {
        return used;
    }

    void taskDone(RuntimeException error) {
        if (error != null && firstError == null) {
            firstError = error;
        }
        if (pending.decrementAndGet() == 0) {
            RuntimeException e = firstError;
            if (e == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(e);
            }
        }
    }

    void taskReleased() {
        if (held.decrementAndGet() == 0) {
            released.complete(null);
        }
    }

    /** No operation of the batch is held by a provider any more. */
    boolean isIdle() {
        return held.get() == 0;
    }

    /** Completes when every submitted task is done: exceptionally with the first error. */
    CompletableFuture<Void> completion() {
        return done;
    }

    /** Completes when the provider holds no operation of the batch (never exceptionally). */
    CompletableFuture<Void> released() {
        return released;
    }
}
