package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.network.shuffle.checksum.ShuffleChecksumHelper;

import java.lang.foreign.MemorySegment;
import java.util.zip.Checksum;

/**
 * Checks a block's bytes against the checksum Spark's map-side writer computed for its partition
 * (over the same serialized, compressed bytes, with {@code spark.shuffle.checksum.algorithm}),
 * either at once over bytes already landed or as the bytes stream by.
 */
final class BlockChecksum {
    private final Checksum checksum;
    private final long expected;

    BlockChecksum(String algorithm, long expected) {
        this.checksum = ShuffleChecksumHelper.getChecksumByAlgorithm(algorithm);
        this.expected = expected;
    }

    void update(byte[] bytes, int off, int len) {
        checksum.update(bytes, off, len);
    }

    void update(MemorySegment bytes) {
        checksum.update(bytes.asByteBuffer());
    }

    long value() {
        return checksum.getValue();
    }

    boolean matches() {
        return checksum.getValue() == expected;
    }

    long expected() {
        return expected;
    }

    /** A check of block {@code b} against its partition's checksum in its map's index. */
    static BlockChecksum of(ReadPlan.Block b, String algorithm) {
        return new BlockChecksum(algorithm, b.map().checksums[b.id().reduceId() - b.map().first()]);
    }

    /** Whether {@code bytes} have the expected checksum. */
    static boolean matches(String algorithm, long expected, MemorySegment bytes) {
        BlockChecksum c = new BlockChecksum(algorithm, expected);
        c.update(bytes);
        return c.matches();
    }
}
