package io.efashuffle.transfer.engine;

/**
 * The state of one request of a batch.
 *
 * @param state            PENDING, COMPLETED or FAILED
 * @param transferredBytes bytes moved so far
 * @param error            why it failed, else null
 */
public record TransferStatus(State state, long transferredBytes, RuntimeException error) {
    public enum State { PENDING, COMPLETED, FAILED }
}
