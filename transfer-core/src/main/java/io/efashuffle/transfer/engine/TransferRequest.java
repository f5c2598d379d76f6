package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.Opcode;

import java.lang.foreign.MemorySegment;

/**
 * One transfer (Mooncake's TransferRequest): {@code length} bytes between local registered memory
 * at {@code localAddress} and the target segment's registered memory at {@code targetAddress}
 * (an address in the target's space, i.e. a published buffer's base plus an offset).
 */
public record TransferRequest(Opcode opcode, long localAddress, long length, long targetId, long targetAddress) {
    public TransferRequest {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
    }

    /** Reads {@code local.byteSize()} bytes from the target into {@code local}. */
    public static TransferRequest read(MemorySegment local, long targetId, long targetAddress) {
        return new TransferRequest(Opcode.READ, local.address(), local.byteSize(), targetId, targetAddress);
    }

    /** Writes {@code local} to the target. */
    public static TransferRequest write(MemorySegment local, long targetId, long targetAddress) {
        return new TransferRequest(Opcode.WRITE, local.address(), local.byteSize(), targetId, targetAddress);
    }
}
