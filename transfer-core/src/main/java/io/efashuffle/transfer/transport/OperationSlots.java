package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ffi.fi_context2;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The credits of one endpoint: a fixed table of in-flight operations, each owning one native
 * {@code struct fi_context2} (FI_CONTEXT/FI_CONTEXT2 give the provider that memory for the life
 * of the operation). A completion's op_context maps back to its slot by address arithmetic, so
 * completing an operation allocates nothing. Used by the progress thread only.
 */
final class OperationSlots implements AutoCloseable {
    private static final long CONTEXT_BYTES = fi_context2.sizeof();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment contexts;
    private final MemorySegment[] contextViews;
    private final RmaOperation[] operations;
    private final int[] free;
    private int freeTop;

    OperationSlots(int capacity) {
        contexts = arena.allocate(CONTEXT_BYTES * capacity, 64);
        contextViews = new MemorySegment[capacity];
        operations = new RmaOperation[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            contextViews[i] = contexts.asSlice(i * CONTEXT_BYTES, CONTEXT_BYTES);
            free[i] = capacity - 1 - i;
        }
        freeTop = capacity;
    }

    int capacity() {
        return operations.length;
    }

    int inUse() {
        return operations.length - freeTop;
    }

    /** A free slot for {@code op}, or -1 when every credit is taken. */
    int acquire(RmaOperation op) {
        if (freeTop == 0) {
            return -1;
        }
        int slot = free[--freeTop];
        operations[slot] = op;
        return slot;
    }

    /** Gives back a slot whose operation was not accepted by the provider. */
    void release(int slot) {
        operations[slot] = null;
        free[freeTop++] = slot;
    }

    MemorySegment context(int slot) {
        return contextViews[slot];
    }

    /** The slot whose context the provider handed back, or -1 if the address is not one of ours. */
    int slotOf(long contextAddress) {
        long offset = contextAddress - contexts.address();
        if (offset < 0 || offset >= contexts.byteSize() || offset % CONTEXT_BYTES != 0) {
            return -1;
        }
        return (int) (offset / CONTEXT_BYTES);
    }

    /**
     * Removes and returns the operation of a completed slot; null for a slot with none (a second
     * completion of one context), which stays free once rather than being handed out twice.
     */
    RmaOperation complete(int slot) {
        RmaOperation op = operations[slot];
        if (op != null) {
            release(slot);
        }
        return op;
    }

    RmaOperation peek(int slot) {
        return operations[slot];
    }

    @Override
    public void close() {
        arena.close();
    }
}
