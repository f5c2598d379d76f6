package io.efashuffle.transfer.engine;

import java.util.concurrent.atomic.AtomicInteger;

/** One request of a batch, split into one or more transport operations. */
final class Task {
    final Batch batch;
    final LocalBuffer localBuffer;
    private final AtomicInteger remaining;
    private final AtomicInteger held;
    private final int operations;
    private int posted;
    private volatile RuntimeException error;
    private volatile RuntimeException refusal;
    private volatile boolean done;

    Task(Batch batch, LocalBuffer localBuffer, int operations) {
        this.batch = batch;
        this.localBuffer = localBuffer;
        this.operations = operations;
        this.remaining = new AtomicInteger(operations);
        this.held = new AtomicInteger(operations);
    }

    /** A task of a batch whose posting stopped before it: failed and released, nothing posted. */
    static Task refused(Batch batch, LocalBuffer localBuffer, RuntimeException why) {
        Task t = new Task(batch, localBuffer, 1);
        localBuffer.acquire(1);
        t.refuseUnposted(why);
        return t;
    }

    /**
     * A transport refused this task's next operation: it and the ones after it never reach a
     * provider, so each ends now, failed and released. Called on the submitting thread, which
     * counts the operations it posted before.
     */
    void refuseUnposted(RuntimeException why) {
        refusal = why;
        for (int i = posted; i < operations; i++) {
            operationDone(why);
            operationReleased();
        }
    }

    /** Counts an operation handed to a transport (submitting thread only). */
    void posted() {
        posted++;
    }

    /** Why a transport refused one of this task's operations, or null. */
    RuntimeException refusal() {
        return refusal;
    }

    boolean postedNone() {
        return posted == 0;
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
