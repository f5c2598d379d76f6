package io.efashuffle.transfer.transport;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One posted fi_read/fi_write: a contiguous local range and a contiguous remote range.
 * Created by the engine. The transport reports two things, each exactly once, through
 * {@link Handler}: the outcome ({@code completed}), and that the provider no longer holds the
 * operation ({@code released}). They differ when an operation passes its deadline or its endpoint
 * is closing: it has failed, but a late completion may still write its local memory until the
 * provider lets go of it, so that memory must not be reused before {@code released}.
 */
public final class RmaOperation {
    /**
     * Receives the outcome; runs on the transport's progress thread (or its stall watchdog's), so
     * it must be brief.
     */
    @FunctionalInterface
    public interface Handler {
        void completed(RmaOperation op, RuntimeException errorOrNull);

        /**
         * The provider no longer holds the operation: its local memory may be reused. Comes before
         * {@code completed} when both happen at once, else (timeout, close) after it.
         */
        default void released(RmaOperation op) {
        }
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
    /** When the progress thread first saw the (shm) peer's process gone while holding this; 0 before. */
    long peerGoneNanos;
    private volatile int reported;
    private volatile int released;

    private static final AtomicIntegerFieldUpdater<RmaOperation> REPORTED =
            AtomicIntegerFieldUpdater.newUpdater(RmaOperation.class, "reported");
    private static final AtomicIntegerFieldUpdater<RmaOperation> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(RmaOperation.class, "released");

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

    /** Reports the outcome, at most once: the progress thread and the stall watchdog may both try. */
    void complete(RuntimeException error) {
        if (REPORTED.compareAndSet(this, 0, 1)) {
            handler.completed(this, error);
        }
    }

    /** Reports the release, at most once: a held read given up (Rail) may still complete or close later. */
    void release() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            handler.released(this);
        }
    }

    boolean isReleased() {
        return released != 0;
    }

    /**
     * Outcome and release at once: the provider never held it, or has just handed it back.
     * Released first, so whoever sees the outcome also finds the memory free.
     */
    void finish(RuntimeException error) {
        release();
        complete(error);
    }

    String describe() {
        return (opcode == Opcode.READ ? "fi_read" : "fi_write") + " of " + length + " bytes "
                + (opcode == Opcode.READ ? "from" : "to") + " segment '" + peer.segmentName() + "' at offset "
                + remoteOffset + " of buffer 0x" + Long.toHexString(remoteBase);
    }
}
