package org.apache.spark.shuffle.efa.reader;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Reads a block in place from this executor's registered shuffle memory. */
final class SegmentInputStream extends BoundedInputStream {
    private final MemorySegment bytes;

    SegmentInputStream(MemorySegment bytes) {
        super(bytes.byteSize());
        this.bytes = bytes;
    }

    @Override
    int copy(long position, byte[] b, int off, int len) {
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, position, b, off, len);
        return len;
    }
}
