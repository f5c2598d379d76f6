package io.efashuffle.transfer.engine;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds a decoder damaged frames and checks its contract: each frame decodes or is refused with an
 * IllegalArgumentException, nothing else (no OutOfMemoryError, no other exception), and no decode
 * allocates much more than the frame's own size or takes long.
 */
public final class FrameFuzzer {
    /** Counts and lengths an attacker would write: huge, negative, just past a short, zero. */
    private static final int[] HOSTILE_INTS = {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 0x7fff, 0x8000, 0xffff,
            0x10000, 0};
    private static final long MAX_NANOS = 200_000_000L;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Function<byte[], ?> decoder;
    private int decoded;
    private int refused;

    public FrameFuzzer(Function<byte[], ?> decoder) {
        this.decoder = decoder;
    }

    /** Decodes {@code frame}: true if it decoded, false if refused; fails the test on anything else. */
    public boolean tryDecode(byte[] frame) {
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        boolean ok;
        try {
            decoder.apply(frame);
            ok = true;
        } catch (IllegalArgumentException e) {
            ok = false;
        } catch (Throwable t) {
            throw new AssertionError("frame " + hex(frame) + " ended in " + t + ", not IllegalArgumentException", t);
        }
        long nanos = System.nanoTime() - start;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertTrue(nanos < MAX_NANOS, "decoding " + hex(frame) + " took " + nanos / 1000 + " us");
        assertTrue(allocated < (1 << 20) + 8L * frame.length,
                "decoding " + frame.length + " bytes allocated " + allocated + " bytes: " + hex(frame));
        if (ok) {
            decoded++;
        } else {
            refused++;
        }
        return ok;
    }

    public IllegalArgumentException assertRefused(byte[] frame) {
        if (tryDecode(frame)) {
            fail("decoded: " + hex(frame));
        }
        return assertThrows(IllegalArgumentException.class, () -> decoder.apply(frame));
    }

    /** (a) Every proper prefix of a valid frame is refused. */
    public void everyTruncationIsRefused(byte[] valid) {
        for (int n = 0; n < valid.length; n++) {
            assertRefused(Arrays.copyOf(valid, n));
        }
    }

    /** (b) Hostile 2- and 4-byte values written over every offset of a valid frame. */
    public void hostileValuesEverywhere(byte[] valid) {
        for (int at = 0; at < valid.length; at++) {
            for (int v : HOSTILE_INTS) {
                if (at + 4 <= valid.length) {
                    tryDecode(withInt(valid, at, v));
                }
                if (at + 2 <= valid.length) {
                    tryDecode(withShort(valid, at, v));
                }
            }
        }
    }

    /** (c) Random frames behind each valid frame's first bytes, and random single-byte changes. */
    public void randomFrames(List<byte[]> valid, long seed, int perFrame) {
        Random random = new Random(seed);
        for (byte[] good : valid) {
            for (int i = 0; i < perFrame; i++) {
                byte[] mutated = good.clone();
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                tryDecode(mutated);
                // Keep up to the first 6 bytes (magic, version, tag) so junk reaches the fields.
                byte[] junk = new byte[random.nextInt(2 * good.length + 1)];
                random.nextBytes(junk);
                System.arraycopy(good, 0, junk, 0, Math.min(junk.length, Math.min(good.length, random.nextInt(7))));
                tryDecode(junk);
            }
        }
    }

    public int decoded() {
        return decoded;
    }

    public int refused() {
        return refused;
    }

    public static byte[] withInt(byte[] frame, int at, int value) {
        byte[] b = frame.clone();
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (24 - 8 * i));
        }
        return b;
    }

    public static byte[] withShort(byte[] frame, int at, int value) {
        byte[] b = frame.clone();
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
        return b;
    }

    private static String hex(byte[] frame) {
        return HexFormat.of().formatHex(frame, 0, Math.min(frame.length, 96)) + (frame.length > 96 ? "..." : "");
    }
}
