// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fid_domain { fid_fclass; fid_context; fid_ops; ops; mr; }
 * }
 */
public class fid_domain {

    fid_domain() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("fid_fclass"),
        fabric_h.C_POINTER.withName("fid_context"),
        fabric_h.C_POINTER.withName("fid_ops"),
        fabric_h.C_POINTER.withName("ops"),
        fabric_h.C_POINTER.withName("mr")
    ).withName("fid_domain");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong fid_fclass$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("fid_fclass"));

    public static final ValueLayout.OfLong fid_fclass$layout() { return fid_fclass$LAYOUT; }

    private static final long fid_fclass$OFFSET = $LAYOUT.byteOffset(groupElement("fid_fclass"));

    public static final long fid_fclass$offset() { return fid_fclass$OFFSET; }

    public static long fid_fclass(MemorySegment struct) {
        return struct.get(fid_fclass$LAYOUT, fid_fclass$OFFSET);
    }

    public static void fid_fclass(MemorySegment struct, long fieldValue) {
        struct.set(fid_fclass$LAYOUT, fid_fclass$OFFSET, fieldValue);
    }

    private static final AddressLayout fid_context$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("fid_context"));

    public static final AddressLayout fid_context$layout() { return fid_context$LAYOUT; }

    private static final long fid_context$OFFSET = $LAYOUT.byteOffset(groupElement("fid_context"));

    public static final long fid_context$offset() { return fid_context$OFFSET; }

    public static MemorySegment fid_context(MemorySegment struct) {
        return struct.get(fid_context$LAYOUT, fid_context$OFFSET);
    }

    public static void fid_context(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(fid_context$LAYOUT, fid_context$OFFSET, fieldValue);
    }

    private static final AddressLayout fid_ops$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("fid_ops"));

    public static final AddressLayout fid_ops$layout() { return fid_ops$LAYOUT; }

    private static final long fid_ops$OFFSET = $LAYOUT.byteOffset(groupElement("fid_ops"));

    public static final long fid_ops$offset() { return fid_ops$OFFSET; }

    public static MemorySegment fid_ops(MemorySegment struct) {
        return struct.get(fid_ops$LAYOUT, fid_ops$OFFSET);
    }

    public static void fid_ops(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(fid_ops$LAYOUT, fid_ops$OFFSET, fieldValue);
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

    private static final AddressLayout mr$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("mr"));

    public static final AddressLayout mr$layout() { return mr$LAYOUT; }

    private static final long mr$OFFSET = $LAYOUT.byteOffset(groupElement("mr"));

    public static final long mr$offset() { return mr$OFFSET; }

    public static MemorySegment mr(MemorySegment struct) {
        return struct.get(mr$LAYOUT, mr$OFFSET);
    }

    public static void mr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(mr$LAYOUT, mr$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
