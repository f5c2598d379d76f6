package io.efashuffle.transfer.transport;

import java.lang.foreign.MemorySegment;

/** Memory registered with a transport: one key per rail, published to peers. */
public interface RegisteredMemory {
    MemorySegment segment();

    /** What peers may do to it. */
    RemoteAccess access();

    /** Remote-access keys, index = rail. */
    long[] keys();
}
