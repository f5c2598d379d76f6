package org.apache.spark.shuffle.efa.reader;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Reads a block in place from this executor's registered shuffle memory. */
final class SegmentInputStream extends InputStream {
    private final MemorySegment bytes;
    private long position;

    SegmentInputStream(MemorySegment bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read() {
        return position < bytes.byteSize() ? bytes.get(ValueLayout.JAVA_BYTE, position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        long left = bytes.byteSize() - position;
        if (left <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long s = Math.max(0, Math.min(n, bytes.byteSize() - position));
        position += s;
        return s;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, bytes.byteSize() - position);
    }
}
