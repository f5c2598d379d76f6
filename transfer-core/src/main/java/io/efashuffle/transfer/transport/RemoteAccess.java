package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ffi.fabric_h;

/**
 * What peers may do to a registration. Access is granted per registration, never per endpoint:
 * shuffle output is {@link #READ}, landing buffers are {@link #NONE} (and never published),
 * and only a caller that needs peers to write (the WRITE tools' targets) asks for
 * {@link #READ_WRITE}. Every registration may be used locally as the source of a write and the
 * destination of a read.
 */
public enum RemoteAccess {
    /** Local use only: a landing buffer for this process's own reads. */
    NONE(0),
    /** Peers may fi_read it. */
    READ(fabric_h.FI_REMOTE_READ()),
    /** Peers may fi_read and fi_write it. */
    READ_WRITE(fabric_h.FI_REMOTE_READ() | fabric_h.FI_REMOTE_WRITE());

    private final long remoteBits;

    RemoteAccess(long remoteBits) {
        this.remoteBits = remoteBits;
    }

    /** The fi_mr_reg access flags. */
    public long fabricAccess() {
        return fabric_h.FI_READ() | fabric_h.FI_WRITE() | remoteBits;
    }

    /** Whether peers need its address and key (it goes into the published descriptor). */
    public boolean published() {
        return this != NONE;
    }
}
