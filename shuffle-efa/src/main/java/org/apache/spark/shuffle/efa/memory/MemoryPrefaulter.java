package org.apache.spark.shuffle.efa.memory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.locks.LockSupport;

/**
 * Makes registered memory resident in the background, so map outputs are not written at
 * page-fault speed (on a VM a 4 KiB fault can cost more than copying the page): the receive pool
 * right after start, the map-output memory a {@link PrefaultWindow} ahead of the highest byte map
 * outputs have used ({@link #advance}). On EFA the registration pins every page anyway. Works in
 * chunks so {@link #close()} returns quickly, and must return before the regions are unmapped.
 */
final class MemoryPrefaulter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryPrefaulter.class);
    static final long CHUNK = 32L << 20;
    static final long AHEAD = 256L << 20;

    private final NativeMapping receive;
    private final NativeMapping shuffle;
    private final PrefaultWindow window;
    private final Thread thread;
    private volatile long highWater;
    private volatile boolean stopped;

    MemoryPrefaulter(NativeMapping receive, NativeMapping shuffle) {
        this.receive = receive;
        this.shuffle = shuffle;
        this.window = shuffle == null ? null : new PrefaultWindow(shuffle.memory().byteSize(), AHEAD, CHUNK);
        thread = Thread.ofPlatform().daemon().name("efa-shuffle-prefault").start(this::run);
    }

    /** Map outputs now use the map-output memory up to {@code end}: keep the window ahead of it. */
    void advance(long end) {
        if (end > highWater) {
            highWater = end;
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long start = System.nanoTime();
        if (!populate(receive, receive.memory().byteSize())) {
            return;
        }
        long done = 0;
        while (window != null && !stopped) {
            long length = window.nextLength(done, window.target(highWater));
            if (length == 0) {
                if (done == shuffle.memory().byteSize()) {
                    break;
                }
                LockSupport.park(this);
                continue;
            }
            if (!shuffle.populate(done, length)) {
                unavailable();
                return;
            }
            done += length;
        }
        LOG.debug("EFA shuffle: prefaulter done with {} MiB of map-output memory in {} ms", done >> 20,
                (System.nanoTime() - start) / 1_000_000);
    }

    private boolean populate(NativeMapping region, long size) {
        for (long offset = 0; offset < size && !stopped; offset += CHUNK) {
            if (!region.populate(offset, Math.min(CHUNK, size - offset))) {
                unavailable();
                return false;
            }
        }
        return !stopped;
    }

    private static void unavailable() {
        LOG.info("EFA shuffle: registered memory is not populated ahead of use (needs Linux 5.14 "
                + "MADV_POPULATE_WRITE, or memory is short); pages fault in on first write");
    }

    @Override
    public void close() {
        stopped = true;
        boolean interrupted = false;
        while (thread.isAlive()) { // uninterruptibly: unmapping under a running madvise must not happen
            LockSupport.unpark(thread);
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
