// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct iovec { iov_base; iov_len; }
 * }
 */
public class iovec {

    iovec() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_POINTER.withName("iov_base"),
        fabric_h.C_LONG.withName("iov_len")
    ).withName("iovec");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout iov_base$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("iov_base"));

    public static final AddressLayout iov_base$layout() { return iov_base$LAYOUT; }

    private static final long iov_base$OFFSET = $LAYOUT.byteOffset(groupElement("iov_base"));

    public static final long iov_base$offset() { return iov_base$OFFSET; }

    public static MemorySegment iov_base(MemorySegment struct) {
        return struct.get(iov_base$LAYOUT, iov_base$OFFSET);
    }

    public static void iov_base(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(iov_base$LAYOUT, iov_base$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong iov_len$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("iov_len"));

    public static final ValueLayout.OfLong iov_len$layout() { return iov_len$LAYOUT; }

    private static final long iov_len$OFFSET = $LAYOUT.byteOffset(groupElement("iov_len"));

    public static final long iov_len$offset() { return iov_len$OFFSET; }

    public static long iov_len(MemorySegment struct) {
        return struct.get(iov_len$LAYOUT, iov_len$OFFSET);
    }

    public static void iov_len(MemorySegment struct, long fieldValue) {
        struct.set(iov_len$LAYOUT, iov_len$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
