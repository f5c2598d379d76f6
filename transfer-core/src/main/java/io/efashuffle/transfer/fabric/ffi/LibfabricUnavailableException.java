package io.efashuffle.transfer.fabric.ffi;

/** libfabric cannot be loaded in this process; the message says what to install. */
public final class LibfabricUnavailableException extends RuntimeException {
    public LibfabricUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
