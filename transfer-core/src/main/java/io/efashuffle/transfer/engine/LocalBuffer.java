package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.RegisteredMemory;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One piece of local memory registered with the engine's transport. Memory larger than the
 * transport's largest registration is registered as several pieces: they share the whole
 * registration's memory and its count of operations in flight.
 */
final class LocalBuffer {
    final MemorySegment segment;
    final MemorySegment whole;
    final String location;
    final RegisteredMemory registration;
    private final AtomicLong inFlight;

    LocalBuffer(MemorySegment segment, MemorySegment whole, String location, RegisteredMemory registration,
                AtomicLong inFlight) {
        this.segment = segment;
        this.whole = whole;
        this.location = location;
        this.registration = registration;
        this.inFlight = inFlight;
    }

    long base() {
        return segment.address();
    }

    boolean contains(long address, long length) {
        return address >= base() && length >= 0 && address - base() <= segment.byteSize() - length;
    }

    /** Whether the range lies inside the registration this piece belongs to. */
    boolean registrationContains(long address, long length) {
        return address >= whole.address() && length >= 0 && address - whole.address() <= whole.byteSize() - length;
    }

    void acquire(int operations) {
        inFlight.addAndGet(operations);
    }

    void release() {
        inFlight.decrementAndGet();
    }

    /** Operations in flight on any piece of this registration. */
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
