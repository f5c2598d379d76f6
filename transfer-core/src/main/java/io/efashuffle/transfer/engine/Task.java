package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.RmaOperation;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One request of a batch, split into one or more transport operations. */
final class Task {
    final Batch batch;
    final LocalBuffer localBuffer;
    private final AtomicInteger remaining;
    private final AtomicInteger held;
    private final AtomicLong transferred = new AtomicLong();
    private volatile RuntimeException error;
    private volatile boolean done;

    Task(Batch batch, LocalBuffer localBuffer, int operations) {
        this.batch = batch;
        this.localBuffer = localBuffer;
        this.remaining = new AtomicInteger(operations);
        this.held = new AtomicInteger(operations);
    }

    /** An operation's outcome; called once per operation, on a progress thread. */
    void operationDone(RmaOperation op, RuntimeException err) {
        if (err != null) {
            if (error == null) {
                error = err;
            }
        } else {
            transferred.addAndGet(op.length()); // several rails may complete parts of one task
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

    TransferStatus status() {
        if (!done) {
            return new TransferStatus(TransferStatus.State.PENDING, transferred.get(), null);
        }
        RuntimeException e = error;
        return new TransferStatus(e == null ? TransferStatus.State.COMPLETED : TransferStatus.State.FAILED,
                transferred.get(), e);
    }
}
