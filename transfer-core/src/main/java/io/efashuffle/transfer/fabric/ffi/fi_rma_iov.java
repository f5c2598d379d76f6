// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_rma_iov { addr; len; key; }
 * }
 */
public class fi_rma_iov {

    fi_rma_iov() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("addr"),
        fabric_h.C_LONG.withName("len"),
        fabric_h.C_LONG.withName("key")
    ).withName("fi_rma_iov");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong addr$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("addr"));

    public static final ValueLayout.OfLong addr$layout() { return addr$LAYOUT; }

    private static final long addr$OFFSET = $LAYOUT.byteOffset(groupElement("addr"));

    public static final long addr$offset() { return addr$OFFSET; }

    public static long addr(MemorySegment struct) {
        return struct.get(addr$LAYOUT, addr$OFFSET);
    }

    public static void addr(MemorySegment struct, long fieldValue) {
        struct.set(addr$LAYOUT, addr$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong len$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("len"));

    public static final ValueLayout.OfLong len$layout() { return len$LAYOUT; }

    private static final long len$OFFSET = $LAYOUT.byteOffset(groupElement("len"));

    public static final long len$offset() { return len$OFFSET; }

    public static long len(MemorySegment struct) {
        return struct.get(len$LAYOUT, len$OFFSET);
    }

    public static void len(MemorySegment struct, long fieldValue) {
        struct.set(len$LAYOUT, len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong key$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("key"));

    public static final ValueLayout.OfLong key$layout() { return key$LAYOUT; }

    private static final long key$OFFSET = $LAYOUT.byteOffset(groupElement("key"));

    public static final long key$offset() { return key$OFFSET; }

    public static long key(MemorySegment struct) {
        return struct.get(key$LAYOUT, key$OFFSET);
    }

    public static void key(MemorySegment struct, long fieldValue) {
        struct.set(key$LAYOUT, key$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
