package io.efashuffle.transfer.engine;

/** A wire frame that does not decode: truncated, oversized, inconsistent or from another version. */
public final class MalformedFrameException extends IllegalArgumentException {
    public MalformedFrameException(String message) {
        super(message);
    }
}
