package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ffi.fabric_h;

/**
 * The peer is gone: its connection broke or was refused, or its process died. Operations to it fail
 * fast until it is connected again.
 */
public class PeerLostException extends TransportException {
    public PeerLostException(String message, int errno) {
        super(message, errno);
    }

    /** tcp passes a socket's EPIPE through; fi_errno.h names no FI_EPIPE. */
    private static final int EPIPE = 32;

    /** Whether a completion's errno says its connection to the peer broke (the peer may be alive). */
    static boolean isConnectionLoss(int errno) {
        return errno == fabric_h.FI_ECONNRESET() || errno == fabric_h.FI_EHOSTUNREACH()
                || errno == fabric_h.FI_ENOTCONN() || errno == fabric_h.FI_ECONNREFUSED()
                || errno == EPIPE || errno == fabric_h.FI_ECONNABORTED();
    }
}
