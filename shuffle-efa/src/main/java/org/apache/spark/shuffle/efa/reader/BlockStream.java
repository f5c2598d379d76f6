package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.reader.ReadPlan.Block;

/**
 * One remote block's bytes, pulled in order from the pieces a reader holds, and checked against
 * its checksum at its end when it spans pieces. Handed out already: a failure here names the
 * serving executor only when it is at fault ({@link FetchFailures#handedOut}).
 */
final class BlockStream extends BoundedInputStream {
    /** Where the stream finds the bytes at a position of the task's byte sequence. */
    interface LandedBytes {
        /** Copies at most {@code len} bytes at {@code position}, waiting for the piece holding them to land. */
        int copy(long position, byte[] b, int off, int len);

        /** The stream is past {@code position}: the pieces before it may go back. */
        void releaseBefore(long position);
    }

    private final Block block;
    private final BlockChecksum checksum; // null: checked already, or the output has none
    private final LandedBytes landed;
    private final ReleaseGate gate;
    private final FetchFailures failures;
    private long consumed;

    BlockStream(Block block, BlockChecksum checksum, LandedBytes landed, ReleaseGate gate, FetchFailures failures) {
        super(block.length());
        this.block = block;
        this.checksum = checksum;
        this.landed = landed;
        this.gate = gate;
        this.failures = failures;
    }

    @Override
    int copy(long position, byte[] b, int off, int len) {
        gate.enter();
        try {
            long global = block.start() + position;
            int n;
            try {
                n = landed.copy(global, b, off, len);
            } catch (FabricFetchException | ReceivePoolStarvedException e) {
                throw failures.handedOut(block.map(), e);
            }
            if (checksum != null && position == consumed) {
                checksum.update(b, off, n);
                consumed += n;
                if (consumed == block.length() && !checksum.matches()) {
                    throw failures.checksumFailed(block, checksum);
                }
            }
            landed.releaseBefore(global + n);
            return n;
        } finally {
            gate.exit();
        }
    }
}
