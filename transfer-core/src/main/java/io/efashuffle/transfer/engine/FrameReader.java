package io.efashuffle.transfer.engine;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Reads the fields of one byte[] frame written with {@link java.io.DataOutputStream}, trusting
 * nothing in it: a count or length is refused unless the bytes it claims are present and it is
 * within the caller's maximum, so a short frame can never make the reader allocate much. Every
 * failure is a {@link MalformedFrameException} naming the field.
 */
public final class FrameReader {
    private final byte[] frame;
    private final String kind;
    private int pos;

    public FrameReader(byte[] frame, String kind) {
        this.frame = frame;
        this.kind = kind;
    }

    public int remaining() {
        return frame.length - pos;
    }

    public int unsignedByte(String field) {
        need(field, 1);
        return frame[pos++] & 0xff;
    }

    public int unsignedShort(String field) {
        return (int) bigEndian(field, 2);
    }

    public int readInt(String field) {
        return (int) bigEndian(field, 4);
    }

    public long readLong(String field) {
        return bigEndian(field, 8);
    }

    /** An int that must lie in [0, max]. */
    public int intIn(String field, int max) {
        return checkRange(field, readInt(field), max);
    }

    /** A long that must lie in [0, Long.MAX_VALUE]: addresses, lengths, ids. */
    public long nonNegativeLong(String field) {
        long v = readLong(field);
        if (v < 0) {
            throw malformed(field + " is negative (" + v + ")");
        }
        return v;
    }

    /** An unsigned 16-bit count of items that each take at least {@code minItemBytes}. */
    public int shortCount(String field, int minItemBytes, int max) {
        return fits(field, checkRange(field, unsignedShort(field), max), minItemBytes);
    }

    /** A 32-bit count of items that each take at least {@code minItemBytes}. */
    public int intCount(String field, int minItemBytes, int max) {
        return fits(field, intIn(field, max), minItemBytes);
    }

    /** A string in DataOutputStream.writeUTF form of at most {@code maxBytes} encoded bytes. */
    public String utf(String field, int maxBytes) {
        int length = checkRange(field, unsignedShort(field), maxBytes);
        need(field, length);
        try {
            // The length is checked, so this reads exactly the bytes in the frame.
            String s = DataInputStream.readUTF(new DataInputStream(new ByteArrayInputStream(frame, pos - 2,
                    length + 2)));
            pos += length;
            return s;
        } catch (IOException e) {
            throw malformed(field + " is not modified UTF-8: " + e.getMessage());
        }
    }

    /** {@code length} raw bytes, present in full. */
    public byte[] bytes(String field, int length) {
        need(field, length);
        byte[] b = new byte[length];
        System.arraycopy(frame, pos, b, 0, length);
        pos += length;
        return b;
    }

    /** A byte array with an unsigned 16-bit length prefix of at most {@code max}. */
    public byte[] shortPrefixedBytes(String field, int max) {
        return bytes(field, checkRange(field + " length", unsignedShort(field + " length"), max));
    }

    /** A byte array with an int length prefix of at most {@code max}. */
    public byte[] intPrefixedBytes(String field, int max) {
        return bytes(field, intIn(field + " length", max));
    }

    /** The frame must be used up: trailing bytes mean the writer and reader disagree. */
    public void expectEnd() {
        if (remaining() != 0) {
            throw malformed(remaining() + " trailing bytes");
        }
    }

    public MalformedFrameException malformed(String what) {
        return new MalformedFrameException(kind + ": " + what);
    }

    private long bigEndian(String field, int bytes) {
        need(field, bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (frame[pos++] & 0xff);
        }
        return v;
    }

    private void need(String field, int n) {
        if (n > remaining()) {
            throw malformed(field + " needs " + n + " bytes, " + remaining() + " left (truncated frame)");
        }
    }

    private int checkRange(String field, int v, int max) {
        if (v < 0 || v > max) {
            throw malformed(field + " is " + v + ", allowed 0.." + max);
        }
        return v;
    }

    private int fits(String field, int count, int minItemBytes) {
        if ((long) count * minItemBytes > remaining()) {
            throw malformed(field + " claims " + count + " items of at least " + minItemBytes + " bytes, only "
                    + remaining() + " bytes left");
        }
        return count;
    }
}
