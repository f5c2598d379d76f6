package io.efashuffle.transfer.transport;

/**
 * The peer stopped answering (its process died, its connection broke, or an operation passed its
 * deadline). Operations to it fail fast until it is connected again.
 */
public class PeerLostException extends TransportException {
    public PeerLostException(String message, int errno) {
        super(message, errno);
    }
}
