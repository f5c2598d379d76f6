package io.efashuffle.transfer.transport;

/**
 * An operation passed its deadline. The peer may only be slow (a paused JVM, a congested link), so
 * this is transient: callers may retry, into other memory until the timed-out operation is released.
 */
public class OperationTimeoutException extends TransportException {
    public OperationTimeoutException(String message, int errno) {
        super(message, errno);
    }
}
