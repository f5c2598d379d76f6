package io.efashuffle.transfer.transport;

/**
 * One posted fi_read/fi_write: a contiguous local range and a contiguous remote range.
 * Created by the engine, completed exactly once by the transport through {@link Handler}.
 */
public final class RmaOperation {
    /** Receives the outcome; runs on the transport's progress thread, so it must be brief. */
    @FunctionalInterface
    public interface Handler {
        void completed(RmaOperation op, RuntimeException errorOrNull);
    }

    final Opcode opcode;
    final long localAddress;
    final long length;
    final RegisteredMemory localMemory;
    final RemotePeer peer;
    final long remoteBase;
    final long remoteOffset;
    final long[] remoteKeys;
    final Handler handler;
    final Object attachment;
    long deadlineNanos;
    boolean abandoned;

    /**
     * @param remoteBase   start address of the remote registered buffer
     * @param remoteOffset offset of the first byte within that buffer
     * @param remoteKeys   the buffer's keys, index = remote rail
     */
    public RmaOperation(Opcode opcode, long localAddress, long length, RegisteredMemory localMemory,
                        RemotePeer peer, long remoteBase, long remoteOffset, long[] remoteKeys,
                        Handler handler, Object attachment) {
        this.opcode = opcode;
        this.localAddress = localAddress;
        this.length = length;
        this.localMemory = localMemory;
        this.peer = peer;
        this.remoteBase = remoteBase;
        this.remoteOffset = remoteOffset;
        this.remoteKeys = remoteKeys;
        this.handler = handler;
        this.attachment = attachment;
    }

    public Opcode opcode() {
        return opcode;
    }

    public long length() {
        return length;
    }

    public Object attachment() {
        return attachment;
    }

    void complete(RuntimeException error) {
        handler.completed(this, error);
    }

    String describe() {
        return (opcode == Opcode.READ ? "fi_read" : "fi_write") + " of " + length + " bytes "
                + (opcode == Opcode.READ ? "from" : "to") + " segment '" + peer.segmentName() + "' at offset "
                + remoteOffset + " of buffer 0x" + Long.toHexString(remoteBase);
    }
}
