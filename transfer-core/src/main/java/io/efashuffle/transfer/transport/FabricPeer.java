package io.efashuffle.transfer.transport;

/** A remote segment as the fabric transport reaches it: one AV slot per local rail (shared, {@link PeerSlots}). */
final class FabricPeer implements RemotePeer {
    private final String segmentName;
    final String addressKey;
    final long[] fiAddrPerRail;
    final boolean virtualAddressing;
    final int remoteRails;
    /** shm: the peer's process, whose exit lets held reads go (Rail); null elsewhere. */
    final PeerProcess process;
    private volatile boolean lost;

    FabricPeer(String segmentName, String addressKey, long[] fiAddrPerRail, boolean virtualAddressing, int remoteRails,
               PeerProcess process) {
        this.process = process;
        this.segmentName = segmentName;
        this.addressKey = addressKey;
        this.fiAddrPerRail = fiAddrPerRail;
        this.virtualAddressing = virtualAddressing;
        this.remoteRails = remoteRails;
    }

    @Override
    public String segmentName() {
        return segmentName;
    }

    @Override
    public boolean isLost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    /** The address an operation names on the wire: virtual address or offset into the region. */
    long wireAddress(long remoteBase, long remoteOffset) {
        return virtualAddressing ? remoteBase + remoteOffset : remoteOffset;
    }
}
