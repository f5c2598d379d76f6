package io.efashuffle.transfer.engine;

import java.util.concurrent.atomic.AtomicInteger;

/** One request of a batch, split into one or more transport operations. */
final class Task {
    final Batch batch;
    final LocalBuffer localBuffer;
    private final AtomicInteger remaining;
    private final AtomicInteger held;
    private volatile RuntimeException error;
    private volatile boolean done;

    Task(Batch batch, LocalBuffer localBuffer, int operations) {
        this.batch = batch;
        this.localBuffer = localBuffer;
        this.remaining = new AtomicInteger(operations);
        this.held = new AtomicInteger(operations);
    }

    /** An operation's outcome; called once per operation, on a progress thread. */
    void operationDone(RuntimeException err) {
        if (err != null && error == null) {
            error = err;
        }
        if (remaining.decrementAndGet() == 0) {
            done = true;
            batch.taskDone(error);
        }
    }

    /** The provider let go of an operation: once per operation, after its outcome. */
    void operationReleased() {
        localBuffer.release();
        if (held.decrementAndGet() == 0) {
            batch.taskReleased();
        }
    }

    boolean isDone() {
        return done;
    }

    /** This request's error once it is done; null while pending or when it succeeded. */
    RuntimeException error() {
        return done ? error : null;
    }
}
