package io.efashuffle.transfer.transport;

/**
 * An operation ended because this process's own rail failed, stalled or closed, not because of
 * the peer it read from: callers must not blame the peer for it.
 */
public final class RailFailedException extends TransportException {
    public RailFailedException(String message, int errno) {
        super(message, errno);
    }

    public RailFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code t} or one of its causes is a failure of this process's own rail. */
    public static boolean isCauseOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RailFailedException) {
                return true;
            }
        }
        return false;
    }
}
