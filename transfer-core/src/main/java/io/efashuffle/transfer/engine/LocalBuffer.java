package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.RegisteredMemory;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/** Local memory registered with the engine's transport, with a count of operations using it. */
final class LocalBuffer {
    final MemorySegment segment;
    final String location;
    final RegisteredMemory registration;
    private final AtomicLong inFlight = new AtomicLong();

    LocalBuffer(MemorySegment segment, String location, RegisteredMemory registration) {
        this.segment = segment;
        this.location = location;
        this.registration = registration;
    }

    long base() {
        return segment.address();
    }

    boolean contains(long address, long length) {
        return address >= base() && length >= 0 && address - base() <= segment.byteSize() - length;
    }

    void acquire(int operations) {
        inFlight.addAndGet(operations);
    }

    void release() {
        inFlight.decrementAndGet();
    }

    long inFlight() {
        return inFlight.get();
    }

    boolean published() {
        return registration.access().published();
    }

    BufferDescriptor describe() {
        return new BufferDescriptor(base(), segment.byteSize(), location, registration.keys());
    }
}
