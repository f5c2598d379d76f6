package io.efashuffle.transfer.transport;

/** A connected remote segment's endpoints, as a transport addresses them. */
public interface RemotePeer {
    String segmentName();

    /** True once the transport has declared the peer lost (timeout or connection error). */
    boolean isLost();
}
