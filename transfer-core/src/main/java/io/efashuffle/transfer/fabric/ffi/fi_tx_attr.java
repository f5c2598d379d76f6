// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_tx_attr { caps; mode; op_flags; msg_order; comp_order; inject_size; size; iov_limit; rma_iov_limit; tclass; }
 * }
 */
public class fi_tx_attr {

    fi_tx_attr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("caps"),
        fabric_h.C_LONG.withName("mode"),
        fabric_h.C_LONG.withName("op_flags"),
        fabric_h.C_LONG.withName("msg_order"),
        fabric_h.C_LONG.withName("comp_order"),
        fabric_h.C_LONG.withName("inject_size"),
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_LONG.withName("iov_limit"),
        fabric_h.C_LONG.withName("rma_iov_limit"),
        fabric_h.C_INT.withName("tclass"),
        MemoryLayout.paddingLayout(4)
    ).withName("fi_tx_attr");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong caps$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("caps"));

    public static final ValueLayout.OfLong caps$layout() { return caps$LAYOUT; }

    private static final long caps$OFFSET = $LAYOUT.byteOffset(groupElement("caps"));

    public static final long caps$offset() { return caps$OFFSET; }

    public static long caps(MemorySegment struct) {
        return struct.get(caps$LAYOUT, caps$OFFSET);
    }

    public static void caps(MemorySegment struct, long fieldValue) {
        struct.set(caps$LAYOUT, caps$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mode$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("mode"));

    public static final ValueLayout.OfLong mode$layout() { return mode$LAYOUT; }

    private static final long mode$OFFSET = $LAYOUT.byteOffset(groupElement("mode"));

    public static final long mode$offset() { return mode$OFFSET; }

    public static long mode(MemorySegment struct) {
        return struct.get(mode$LAYOUT, mode$OFFSET);
    }

    public static void mode(MemorySegment struct, long fieldValue) {
        struct.set(mode$LAYOUT, mode$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong op_flags$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("op_flags"));

    public static final ValueLayout.OfLong op_flags$layout() { return op_flags$LAYOUT; }

    private static final long op_flags$OFFSET = $LAYOUT.byteOffset(groupElement("op_flags"));

    public static final long op_flags$offset() { return op_flags$OFFSET; }

    public static long op_flags(MemorySegment struct) {
        return struct.get(op_flags$LAYOUT, op_flags$OFFSET);
    }

    public static void op_flags(MemorySegment struct, long fieldValue) {
        struct.set(op_flags$LAYOUT, op_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong msg_order$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("msg_order"));

    public static final ValueLayout.OfLong msg_order$layout() { return msg_order$LAYOUT; }

    private static final long msg_order$OFFSET = $LAYOUT.byteOffset(groupElement("msg_order"));

    public static final long msg_order$offset() { return msg_order$OFFSET; }

    public static long msg_order(MemorySegment struct) {
        return struct.get(msg_order$LAYOUT, msg_order$OFFSET);
    }

    public static void msg_order(MemorySegment struct, long fieldValue) {
        struct.set(msg_order$LAYOUT, msg_order$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong comp_order$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("comp_order"));

    public static final ValueLayout.OfLong comp_order$layout() { return comp_order$LAYOUT; }

    private static final long comp_order$OFFSET = $LAYOUT.byteOffset(groupElement("comp_order"));

    public static final long comp_order$offset() { return comp_order$OFFSET; }

    public static long comp_order(MemorySegment struct) {
        return struct.get(comp_order$LAYOUT, comp_order$OFFSET);
    }

    public static void comp_order(MemorySegment struct, long fieldValue) {
        struct.set(comp_order$LAYOUT, comp_order$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong inject_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("inject_size"));

    public static final ValueLayout.OfLong inject_size$layout() { return inject_size$LAYOUT; }

    private static final long inject_size$OFFSET = $LAYOUT.byteOffset(groupElement("inject_size"));

    public static final long inject_size$offset() { return inject_size$OFFSET; }

    public static long inject_size(MemorySegment struct) {
        return struct.get(inject_size$LAYOUT, inject_size$OFFSET);
    }

    public static void inject_size(MemorySegment struct, long fieldValue) {
        struct.set(inject_size$LAYOUT, inject_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("size"));

    public static final ValueLayout.OfLong size$layout() { return size$LAYOUT; }

    private static final long size$OFFSET = $LAYOUT.byteOffset(groupElement("size"));

    public static final long size$offset() { return size$OFFSET; }

    public static long size(MemorySegment struct) {
        return struct.get(size$LAYOUT, size$OFFSET);
    }

    public static void size(MemorySegment struct, long fieldValue) {
        struct.set(size$LAYOUT, size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong iov_limit$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("iov_limit"));

    public static final ValueLayout.OfLong iov_limit$layout() { return iov_limit$LAYOUT; }

    private static final long iov_limit$OFFSET = $LAYOUT.byteOffset(groupElement("iov_limit"));

    public static final long iov_limit$offset() { return iov_limit$OFFSET; }

    public static long iov_limit(MemorySegment struct) {
        return struct.get(iov_limit$LAYOUT, iov_limit$OFFSET);
    }

    public static void iov_limit(MemorySegment struct, long fieldValue) {
        struct.set(iov_limit$LAYOUT, iov_limit$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rma_iov_limit$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("rma_iov_limit"));

    public static final ValueLayout.OfLong rma_iov_limit$layout() { return rma_iov_limit$LAYOUT; }

    private static final long rma_iov_limit$OFFSET = $LAYOUT.byteOffset(groupElement("rma_iov_limit"));

    public static final long rma_iov_limit$offset() { return rma_iov_limit$OFFSET; }

    public static long rma_iov_limit(MemorySegment struct) {
        return struct.get(rma_iov_limit$LAYOUT, rma_iov_limit$OFFSET);
    }

    public static void rma_iov_limit(MemorySegment struct, long fieldValue) {
        struct.set(rma_iov_limit$LAYOUT, rma_iov_limit$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt tclass$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("tclass"));

    public static final ValueLayout.OfInt tclass$layout() { return tclass$LAYOUT; }

    private static final long tclass$OFFSET = $LAYOUT.byteOffset(groupElement("tclass"));

    public static final long tclass$offset() { return tclass$OFFSET; }

    public static int tclass(MemorySegment struct) {
        return struct.get(tclass$LAYOUT, tclass$OFFSET);
    }

    public static void tclass(MemorySegment struct, int fieldValue) {
        struct.set(tclass$LAYOUT, tclass$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
