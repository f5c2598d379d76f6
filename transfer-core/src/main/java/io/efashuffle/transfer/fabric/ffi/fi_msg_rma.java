// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_msg_rma { msg_iov; desc; iov_count; addr; rma_iov; rma_iov_count; context; data; }
 * }
 */
public class fi_msg_rma {

    fi_msg_rma() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_POINTER.withName("msg_iov"),
        fabric_h.C_POINTER.withName("desc"),
        fabric_h.C_LONG.withName("iov_count"),
        fabric_h.C_LONG.withName("addr"),
        fabric_h.C_POINTER.withName("rma_iov"),
        fabric_h.C_LONG.withName("rma_iov_count"),
        fabric_h.C_POINTER.withName("context"),
        fabric_h.C_LONG.withName("data")
    ).withName("fi_msg_rma");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout msg_iov$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("msg_iov"));

    public static final AddressLayout msg_iov$layout() { return msg_iov$LAYOUT; }

    private static final long msg_iov$OFFSET = $LAYOUT.byteOffset(groupElement("msg_iov"));

    public static final long msg_iov$offset() { return msg_iov$OFFSET; }

    public static MemorySegment msg_iov(MemorySegment struct) {
        return struct.get(msg_iov$LAYOUT, msg_iov$OFFSET);
    }

    public static void msg_iov(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(msg_iov$LAYOUT, msg_iov$OFFSET, fieldValue);
    }

    private static final AddressLayout desc$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("desc"));

    public static final AddressLayout desc$layout() { return desc$LAYOUT; }

    private static final long desc$OFFSET = $LAYOUT.byteOffset(groupElement("desc"));

    public static final long desc$offset() { return desc$OFFSET; }

    public static MemorySegment desc(MemorySegment struct) {
        return struct.get(desc$LAYOUT, desc$OFFSET);
    }

    public static void desc(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(desc$LAYOUT, desc$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong iov_count$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("iov_count"));

    public static final ValueLayout.OfLong iov_count$layout() { return iov_count$LAYOUT; }

    private static final long iov_count$OFFSET = $LAYOUT.byteOffset(groupElement("iov_count"));

    public static final long iov_count$offset() { return iov_count$OFFSET; }

    public static long iov_count(MemorySegment struct) {
        return struct.get(iov_count$LAYOUT, iov_count$OFFSET);
    }

    public static void iov_count(MemorySegment struct, long fieldValue) {
        struct.set(iov_count$LAYOUT, iov_count$OFFSET, fieldValue);
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

    private static final AddressLayout rma_iov$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("rma_iov"));

    public static final AddressLayout rma_iov$layout() { return rma_iov$LAYOUT; }

    private static final long rma_iov$OFFSET = $LAYOUT.byteOffset(groupElement("rma_iov"));

    public static final long rma_iov$offset() { return rma_iov$OFFSET; }

    public static MemorySegment rma_iov(MemorySegment struct) {
        return struct.get(rma_iov$LAYOUT, rma_iov$OFFSET);
    }

    public static void rma_iov(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rma_iov$LAYOUT, rma_iov$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rma_iov_count$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("rma_iov_count"));

    public static final ValueLayout.OfLong rma_iov_count$layout() { return rma_iov_count$LAYOUT; }

    private static final long rma_iov_count$OFFSET = $LAYOUT.byteOffset(groupElement("rma_iov_count"));

    public static final long rma_iov_count$offset() { return rma_iov_count$OFFSET; }

    public static long rma_iov_count(MemorySegment struct) {
        return struct.get(rma_iov_count$LAYOUT, rma_iov_count$OFFSET);
    }

    public static void rma_iov_count(MemorySegment struct, long fieldValue) {
        struct.set(rma_iov_count$LAYOUT, rma_iov_count$OFFSET, fieldValue);
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

    private static final ValueLayout.OfLong data$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("data"));

    public static final ValueLayout.OfLong data$layout() { return data$LAYOUT; }

    private static final long data$OFFSET = $LAYOUT.byteOffset(groupElement("data"));

    public static final long data$offset() { return data$OFFSET; }

    public static long data(MemorySegment struct) {
        return struct.get(data$LAYOUT, data$OFFSET);
    }

    public static void data(MemorySegment struct, long fieldValue) {
        struct.set(data$LAYOUT, data$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
