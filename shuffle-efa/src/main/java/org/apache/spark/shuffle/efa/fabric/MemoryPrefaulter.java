package org.apache.spark.shuffle.efa.fabric;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Makes the executor's registered regions resident in the background right after start, so the
 * first map outputs are not written at page-fault speed (on a VM a 4 KiB fault can cost more than
 * copying the page). On EFA the registration pins every page anyway; elsewhere this gives the
 * same steady state. Works in chunks so {@link #close()} returns quickly, and must return before
 * the regions are unmapped.
 */
final class MemoryPrefaulter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryPrefaulter.class);
    private static final long CHUNK = 32L << 20;

    private final Thread thread;
    private volatile boolean stopped;

    MemoryPrefaulter(List<NativeMapping> regions) {
        thread = Thread.ofPlatform().daemon().name("efa-shuffle-prefault").start(() -> run(regions));
    }

    private void run(List<NativeMapping> regions) {
        long start = System.nanoTime();
        long done = 0;
        for (NativeMapping region : regions) {
            long size = region.memory().byteSize();
            for (long offset = 0; offset < size && !stopped; offset += CHUNK) {
                long length = Math.min(CHUNK, size - offset);
                if (!region.populate(offset, length)) {
                    LOG.info("EFA shuffle: registered memory is not populated ahead of use (needs Linux 5.14 "
                            + "MADV_POPULATE_WRITE, or memory is short); pages fault in on first write");
                    return;
                }
                done += length;
            }
        }
        LOG.debug("EFA shuffle: populated {} MiB of registered memory in {} ms", done >> 20,
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() {
        stopped = true;
        boolean interrupted = false;
        while (thread.isAlive()) { // uninterruptibly: unmapping under a running madvise must not happen
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
