package io.efashuffle.transfer.transport;

import java.util.concurrent.TimeUnit;

/**
 * Gives back reads shm will never complete. shm holds a read to a peer that died before serving
 * it for ever (the peer does the copy and answers; nothing else completes it). Once the peer's
 * process is gone, nothing can write the read's memory any more: it is released to its owner.
 * The slot and its context stay the provider's until the endpoint closes, and so does the peer's
 * address (shm's progress still looks into the peer's mapped region for a pending entry).
 */
final class GonePeerReads {
    private static final System.Logger LOG = System.getLogger(GonePeerReads.class.getName());
    /**
     * A held read is given up this long after its peer's process was seen gone: time enough for
     * the progress thread to copy out anything the peer made ready before it died.
     */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int rail;
    private long givenUp; // for the log line's count

    GonePeerReads(int rail) {
        this.rail = rail;
    }

    /** Looks at the failed reads {@code slots} still hold; the progress thread's. */
    void releaseFrom(OperationSlots slots, long now) {
        for (int i = 0; i < slots.capacity(); i++) {
            RmaOperation op = slots.peek(i);
            if (op == null || !op.abandoned || op.isReleased()
                    || !(op.peer instanceof FabricPeer peer) || peer.process == null) {
                continue;
            }
            if (op.peerGoneNanos == 0) {
                if (peer.process.gone(now)) {
                    op.peerGoneNanos = now | 1;
                }
            } else if (now - op.peerGoneNanos > GRACE_NANOS) {
                givenUp++;
                if (givenUp == 1 || Long.bitCount(givenUp) == 1) {
                    LOG.log(System.Logger.Level.WARNING, "rail " + rail + ": " + op.describe() + " was never "
                            + "served and its peer's process " + peer.process.pid() + " has exited; its memory is "
                            + "given back (" + givenUp + " such read(s) so far)");
                }
                op.release();
            }
        }
    }
}
