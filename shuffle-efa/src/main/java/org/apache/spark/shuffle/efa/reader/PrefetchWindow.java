package org.apache.spark.shuffle.efa.reader;

import java.util.function.IntSupplier;

/**
 * How far a reader reads ahead of what its task consumes: up to {@code maxBytesInFlight}, and never
 * into the last quarter of the receive pool, which stays for readers that must get a buffer to go
 * on (a task reading two shuffles side by side consumes one while the other holds its prefetch).
 * The same quarter bounds how many buffers one block takes before it is handed out. The quarter is
 * of the buffers in use now: those quarantined under reads a provider has not let go of do not
 * count, so a pool that lost most of them to a dead peer still leaves readers room to go on.
 */
final class PrefetchWindow {
    /** Prefetch leaves this share of the pool (1/4) to readers that must get a buffer to go on. */
    private static final int RESERVE_DIVISOR = 4;

    private final long maxBytesInFlight;
    private final IntSupplier usableBuffers;

    /** @param usableBuffers the pool's buffers not quarantined (ReceivePool: total minus quarantined) */
    PrefetchWindow(long maxBytesInFlight, IntSupplier usableBuffers) {
        this.maxBytesInFlight = maxBytesInFlight;
        this.usableBuffers = usableBuffers;
    }

    /** Buffers prefetch leaves free; also the most a block takes before it is handed out. */
    int reservedBuffers() {
        return Math.max(0, usableBuffers.getAsInt()) / RESERVE_DIVISOR;
    }

    /**
     * Whether a read of {@code length} more bytes may be issued ahead, with {@code bytesHeld}
     * already held by this reader and {@code freeBuffers} left in the pool. A reader holding
     * nothing may always read one piece: it needs it to make progress.
     */
    boolean mayIssue(long bytesHeld, long length, int freeBuffers) {
        return bytesHeld == 0 || (bytesHeld + length <= maxBytesInFlight && freeBuffers > reservedBuffers());
    }
}
