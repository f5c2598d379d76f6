// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fid_ep { fid_fclass; fid_context; fid_ops; ops; cm; msg; rma; tagged; atomic; collective; }
 * }
 */
public class fid_ep {

    fid_ep() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("fid_fclass"),
        fabric_h.C_POINTER.withName("fid_context"),
        fabric_h.C_POINTER.withName("fid_ops"),
        fabric_h.C_POINTER.withName("ops"),
        fabric_h.C_POINTER.withName("cm"),
        fabric_h.C_POINTER.withName("msg"),
        fabric_h.C_POINTER.withName("rma"),
        fabric_h.C_POINTER.withName("tagged"),
        fabric_h.C_POINTER.withName("atomic"),
        fabric_h.C_POINTER.withName("collective")
    ).withName("fid_ep");

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

    private static final AddressLayout cm$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cm"));

    public static final AddressLayout cm$layout() { return cm$LAYOUT; }

    private static final long cm$OFFSET = $LAYOUT.byteOffset(groupElement("cm"));

    public static final long cm$offset() { return cm$OFFSET; }

    public static MemorySegment cm(MemorySegment struct) {
        return struct.get(cm$LAYOUT, cm$OFFSET);
    }

    public static void cm(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(cm$LAYOUT, cm$OFFSET, fieldValue);
    }

    private static final AddressLayout msg$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("msg"));

    public static final AddressLayout msg$layout() { return msg$LAYOUT; }

    private static final long msg$OFFSET = $LAYOUT.byteOffset(groupElement("msg"));

    public static final long msg$offset() { return msg$OFFSET; }

    public static MemorySegment msg(MemorySegment struct) {
        return struct.get(msg$LAYOUT, msg$OFFSET);
    }

    public static void msg(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(msg$LAYOUT, msg$OFFSET, fieldValue);
    }

    private static final AddressLayout rma$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("rma"));

    public static final AddressLayout rma$layout() { return rma$LAYOUT; }

    private static final long rma$OFFSET = $LAYOUT.byteOffset(groupElement("rma"));

    public static final long rma$offset() { return rma$OFFSET; }

    public static MemorySegment rma(MemorySegment struct) {
        return struct.get(rma$LAYOUT, rma$OFFSET);
    }

    public static void rma(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rma$LAYOUT, rma$OFFSET, fieldValue);
    }

    private static final AddressLayout tagged$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("tagged"));

    public static final AddressLayout tagged$layout() { return tagged$LAYOUT; }

    private static final long tagged$OFFSET = $LAYOUT.byteOffset(groupElement("tagged"));

    public static final long tagged$offset() { return tagged$OFFSET; }

    public static MemorySegment tagged(MemorySegment struct) {
        return struct.get(tagged$LAYOUT, tagged$OFFSET);
    }

    public static void tagged(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tagged$LAYOUT, tagged$OFFSET, fieldValue);
    }

    private static final AddressLayout atomic$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("atomic"));

    public static final AddressLayout atomic$layout() { return atomic$LAYOUT; }

    private static final long atomic$OFFSET = $LAYOUT.byteOffset(groupElement("atomic"));

    public static final long atomic$offset() { return atomic$OFFSET; }

    public static MemorySegment atomic(MemorySegment struct) {
        return struct.get(atomic$LAYOUT, atomic$OFFSET);
    }

    public static void atomic(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(atomic$LAYOUT, atomic$OFFSET, fieldValue);
    }

    private static final AddressLayout collective$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("collective"));

    public static final AddressLayout collective$layout() { return collective$LAYOUT; }

    private static final long collective$OFFSET = $LAYOUT.byteOffset(groupElement("collective"));

    public static final long collective$offset() { return collective$OFFSET; }

    public static MemorySegment collective(MemorySegment struct) {
        return struct.get(collective$LAYOUT, collective$OFFSET);
    }

    public static void collective(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(collective$LAYOUT, collective$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
