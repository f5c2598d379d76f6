package org.apache.spark.shuffle.efa.reader;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a reader's release at task end off its state while another thread reads it. The state is
 * the consuming thread's, but the task's end can come from a different one: {@code RDD.pipe}
 * consumes its input on a writer thread of its own, and a killed task's completion listeners run
 * on the task thread while that writer may be inside a read. Releasing then would hand a buffer
 * back to the pool under a read, or twice. So the release runs at once if nobody is inside, else
 * on the consuming thread as it leaves; exactly once either way.
 */
final class ReleaseGate {
    private final ReentrantLock inside = new ReentrantLock();
    private final Runnable release;
    private volatile boolean ended;
    private boolean released; // guarded by inside

    ReleaseGate(Runnable release) {
        this.release = release;
    }

    /** Before the consumer touches the reader's state; refuses once the task has ended. */
    void enter() {
        inside.lock();
        if (ended) {
            try {
                releaseOnce();
            } finally {
                inside.unlock();
            }
            throw new IllegalStateException("the task has ended: its shuffle read was released");
        }
    }

    /** After; the outermost exit runs a release that the task's end left to it. */
    void exit() {
        boolean outermost = inside.getHoldCount() == 1;
        inside.unlock();
        if (outermost && ended && inside.tryLock()) {
            try {
                releaseOnce();
            } finally {
                inside.unlock();
            }
        }
    }

    /** The task ended (any thread): releases now, or leaves it to the consumer inside. */
    void end() {
        ended = true; // before the tryLock: a consumer leaving after a failed one sees it
        if (inside.tryLock()) {
            try {
                if (inside.getHoldCount() == 1) {
                    releaseOnce();
                }
            } finally {
                inside.unlock();
            }
        }
    }

    private void releaseOnce() {
        if (!released) {
            released = true;
            release.run();
        }
    }
}
