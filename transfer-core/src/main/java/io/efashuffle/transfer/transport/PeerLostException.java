package io.efashuffle.transfer.transport;

/**
 * The peer is gone: its connection broke or was refused, or its process died. Operations to it fail
 * fast until it is connected again.
 */
public class PeerLostException extends TransportException {
    public PeerLostException(String message, int errno) {
        super(message, errno);
    }
}
