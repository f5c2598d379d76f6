package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.MemoryRegion;

import java.lang.foreign.MemorySegment;

/** Memory registered on every rail of a fabric transport. */
final class FabricMemory implements RegisteredMemory {
    private final MemorySegment segment;
    private final RemoteAccess access;
    final MemoryRegion[] regions;
    final MemorySegment[] descriptors;
    private final long[] keys;

    FabricMemory(MemorySegment segment, RemoteAccess access, MemoryRegion[] regions) {
        this.segment = segment;
        this.access = access;
        this.regions = regions;
        this.descriptors = new MemorySegment[regions.length];
        this.keys = new long[regions.length];
        for (int i = 0; i < regions.length; i++) {
            descriptors[i] = regions[i].descriptor();
            keys[i] = regions[i].key();
        }
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public RemoteAccess access() {
        return access;
    }

    @Override
    public long[] keys() {
        return keys.clone();
    }
}
