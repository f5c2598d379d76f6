package io.efashuffle.transfer.transport;

/** A transfer failed; {@link #errno()} is libfabric's error number when it came from the fabric. */
public class TransportException extends RuntimeException {
    private final int errno;

    public TransportException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    public TransportException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
