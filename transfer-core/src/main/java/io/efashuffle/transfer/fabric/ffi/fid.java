// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fid { fclass; context; ops; }
 * }
 */
public class fid {

    fid() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("fclass"),
        fabric_h.C_POINTER.withName("context"),
        fabric_h.C_POINTER.withName("ops")
    ).withName("fid");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong fclass$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("fclass"));

    public static final ValueLayout.OfLong fclass$layout() { return fclass$LAYOUT; }

    private static final long fclass$OFFSET = $LAYOUT.byteOffset(groupElement("fclass"));

    public static final long fclass$offset() { return fclass$OFFSET; }

    public static long fclass(MemorySegment struct) {
        return struct.get(fclass$LAYOUT, fclass$OFFSET);
    }

    public static void fclass(MemorySegment struct, long fieldValue) {
        struct.set(fclass$LAYOUT, fclass$OFFSET, fieldValue);
    }

    private static final AddressLayout context$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("context"));

    public static final AddressLayout context$layout() { return context$LAYOUT; }

    private static final long context$OFFSET = $LAYOUT.byteOffset(groupElement("context"));

    public static final long context$offset() { return context$OFFSET; }

    public static MemorySegment context(MemorySegment struct) {
        return struct.get(context$LAYOUT, context$OFFSET);
    }

    public static void context(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(context$LAYOUT, context$OFFSET, fieldValue);
    }

    private static final AddressLayout ops$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("ops"));

    public static final AddressLayout ops$layout() { return ops$LAYOUT; }

    private static final long ops$OFFSET = $LAYOUT.byteOffset(groupElement("ops"));

    public static final long ops$offset() { return ops$OFFSET; }

    public static MemorySegment ops(MemorySegment struct) {
        return struct.get(ops$LAYOUT, ops$OFFSET);
    }

    public static void ops(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(ops$LAYOUT, ops$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
