package org.apache.spark.shuffle.efa.reader;

/**
 * How far a reader reads ahead of what its task consumes: up to {@code maxBytesInFlight}, and never
 * into the last quarter of the receive pool, which stays for readers that must get a buffer to go
 * on (a task reading two shuffles side by side consumes one while the other holds its prefetch).
 * The same quarter bounds how many buffers one block takes before it is handed out.
 */
final class PrefetchWindow {
    /** Prefetch leaves this share of the pool (1/4) to readers that must get a buffer to go on. */
    private static final int RESERVE_DIVISOR = 4;

    private final long maxBytesInFlight;
    private final int reserved;

    PrefetchWindow(long maxBytesInFlight, int poolBuffers) {
        this.maxBytesInFlight = maxBytesInFlight;
        this.reserved = poolBuffers / RESERVE_DIVISOR;
    }

    /** Buffers prefetch leaves free; also the most a block takes before it is handed out. */
    int reservedBuffers() {
        return reserved;
    }

    /**
     * Whether a read of {@code length} more bytes may be issued ahead, with {@code bytesHeld}
     * already held by this reader and {@code freeBuffers} left in the pool. A reader holding
     * nothing may always read one piece: it needs it to make progress.
     */
    boolean mayIssue(long bytesHeld, long length, int freeBuffers) {
        return bytesHeld == 0 || (bytesHeld + length <= maxBytesInFlight && freeBuffers > reserved);
    }
}
