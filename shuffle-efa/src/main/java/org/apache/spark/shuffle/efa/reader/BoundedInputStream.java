package org.apache.spark.shuffle.efa.reader;

import java.io.InputStream;

/**
 * A block of known length read front to back; subclasses say where the bytes at a position are.
 * Shared by blocks read in place and blocks arriving through receive buffers.
 */
abstract class BoundedInputStream extends InputStream {
    private final long length;
    private final byte[] one = new byte[1];
    private long position;

    BoundedInputStream(long length) {
        this.length = length;
    }

    /** Copies at least one and at most {@code len} bytes starting at {@code position}; returns how many. */
    abstract int copy(long position, byte[] b, int off, int len);

    @Override
    public int read() {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        long left = length - position;
        if (left <= 0) {
            return -1;
        }
        int n = copy(position, b, off, (int) Math.min(len, left));
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long s = Math.max(0, Math.min(n, length - position));
        position += s;
        return s;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, length - position);
    }
}
