package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.CompletionQueue;

import java.lang.foreign.MemorySegment;

/**
 * The libfabric calls one rail's progress thread makes on its endpoint: post, read completions,
 * wait for them, read provider events, insert and remove peers' addresses, and close. One
 * implementation runs over the bindings ({@link FabricRailEndpoint}); the rail's operation table
 * and progress thread see only this, so their tests script an endpoint.
 */
interface RailEndpoint {
    /** Operations the endpoint accepts in flight at once (its credits). */
    int credits();

    /** Posts {@code op}'s read or write with {@code context}: 0, -FI_EAGAIN, or another negative errno. */
    long post(RmaOperation op, MemorySegment context);

    /**
     * Reads at most {@code max} completions' contexts into {@code entries}: how many; 0 or
     * -FI_EAGAIN for none; -FI_EAVAIL when an error completion waits ({@link #readError}); another
     * negative errno when the queue failed.
     */
    long readCompletions(MemorySegment entries, int max);

    /** The waiting error completion, or null. */
    CompletionQueue.CompletionError readError();

    /** Whether an idle thread may block in {@link #waitCompletions} (the queue has a wait object). */
    boolean waitable();

    /** As {@link #readCompletions}, blocking up to {@code timeoutMillis}; a wake-up or timeout is not an error. */
    long waitCompletions(MemorySegment entries, int max, int timeoutMillis);

    /** Wakes a thread blocked in {@link #waitCompletions}; from any thread. */
    void signal();

    /** The next provider event as text, or null. */
    String pollEvent();

    /** Inserts a peer's address: its address-vector handle. */
    long insertAddress(byte[] name);

    void removeAddress(long fiAddr);

    /**
     * Closes in the order the provider requires; {@code endpointClosed} runs as soon as the
     * endpoint can no longer write any operation's memory, before the rest is closed.
     */
    void close(Runnable endpointClosed);
}
