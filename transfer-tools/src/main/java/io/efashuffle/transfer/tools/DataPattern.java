package io.efashuffle.transfer.tools;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A deterministic byte pattern: the byte at offset {@code o} depends on the seed and on {@code o}
 * only, so any sub-range read from anywhere can be checked without a copy of the original.
 */
public final class DataPattern {
    private static final ValueLayout.OfLong LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private DataPattern() {}

    private static long word(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static byte byteAt(long seed, long offset) {
        return (byte) (word(seed, offset >>> 3) >>> ((offset & 7) << 3));
    }

    /** Fills {@code target} with the pattern as it stands at {@code patternOffset}. */
    public static void fill(MemorySegment target, long seed, long patternOffset) {
        long n = target.byteSize();
        long i = 0;
        while (i < n && ((patternOffset + i) & 7) != 0) {
            target.set(ValueLayout.JAVA_BYTE, i, byteAt(seed, patternOffset + i));
            i++;
        }
        for (; i + 8 <= n; i += 8) {
            target.set(LE, i, word(seed, (patternOffset + i) >>> 3));
        }
        for (; i < n; i++) {
            target.set(ValueLayout.JAVA_BYTE, i, byteAt(seed, patternOffset + i));
        }
    }

    /**
     * Checks {@code actual} against the pattern at {@code patternOffset}.
     *
     * @return the index of the first wrong byte, or -1 when every byte is right
     */
    public static long firstMismatch(MemorySegment actual, long seed, long patternOffset) {
        long n = actual.byteSize();
        long i = 0;
        while (i < n && ((patternOffset + i) & 7) != 0) {
            if (actual.get(ValueLayout.JAVA_BYTE, i) != byteAt(seed, patternOffset + i)) {
                return i;
            }
            i++;
        }
        for (; i + 8 <= n; i += 8) {
            if (actual.get(LE, i) != word(seed, (patternOffset + i) >>> 3)) {
                for (long j = i; ; j++) {
                    if (actual.get(ValueLayout.JAVA_BYTE, j) != byteAt(seed, patternOffset + j)) {
                        return j;
                    }
                }
            }
        }
        for (; i < n; i++) {
            if (actual.get(ValueLayout.JAVA_BYTE, i) != byteAt(seed, patternOffset + i)) {
                return i;
            }
        }
        return -1;
    }
}
