package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.RemotePeer;
import io.efashuffle.transfer.transport.Transport;

/** A remote segment the engine has opened: its descriptor and how its transport reaches it. */
final class OpenSegment {
    final long id;
    final Transport transport;
    final RemotePeer peer;
    volatile SegmentDescriptor descriptor;

    OpenSegment(long id, SegmentDescriptor descriptor, Transport transport, RemotePeer peer) {
        this.id = id;
        this.descriptor = descriptor;
        this.transport = transport;
        this.peer = peer;
    }
}
