// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_cq_err_entry { op_context; flags; len; buf; data; tag; olen; err; prov_errno; err_data; err_data_size; }
 * }
 */
public class fi_cq_err_entry {

    fi_cq_err_entry() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_POINTER.withName("op_context"),
        fabric_h.C_LONG.withName("flags"),
        fabric_h.C_LONG.withName("len"),
        fabric_h.C_POINTER.withName("buf"),
        fabric_h.C_LONG.withName("data"),
        fabric_h.C_LONG.withName("tag"),
        fabric_h.C_LONG.withName("olen"),
        fabric_h.C_INT.withName("err"),
        fabric_h.C_INT.withName("prov_errno"),
        fabric_h.C_POINTER.withName("err_data"),
        fabric_h.C_LONG.withName("err_data_size")
    ).withName("fi_cq_err_entry");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout op_context$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("op_context"));

    public static final AddressLayout op_context$layout() { return op_context$LAYOUT; }

    private static final long op_context$OFFSET = $LAYOUT.byteOffset(groupElement("op_context"));

    public static final long op_context$offset() { return op_context$OFFSET; }

    public static MemorySegment op_context(MemorySegment struct) {
        return struct.get(op_context$LAYOUT, op_context$OFFSET);
    }

    public static void op_context(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(op_context$LAYOUT, op_context$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong flags$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("flags"));

    public static final ValueLayout.OfLong flags$layout() { return flags$LAYOUT; }

    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    public static final long flags$offset() { return flags$OFFSET; }

    public static long flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    public static void flags(MemorySegment struct, long fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
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

    private static final AddressLayout buf$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("buf"));

    public static final AddressLayout buf$layout() { return buf$LAYOUT; }

    private static final long buf$OFFSET = $LAYOUT.byteOffset(groupElement("buf"));

    public static final long buf$offset() { return buf$OFFSET; }

    public static MemorySegment buf(MemorySegment struct) {
        return struct.get(buf$LAYOUT, buf$OFFSET);
    }

    public static void buf(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(buf$LAYOUT, buf$OFFSET, fieldValue);
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

    private static final ValueLayout.OfLong tag$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("tag"));

    public static final ValueLayout.OfLong tag$layout() { return tag$LAYOUT; }

    private static final long tag$OFFSET = $LAYOUT.byteOffset(groupElement("tag"));

    public static final long tag$offset() { return tag$OFFSET; }

    public static long tag(MemorySegment struct) {
        return struct.get(tag$LAYOUT, tag$OFFSET);
    }

    public static void tag(MemorySegment struct, long fieldValue) {
        struct.set(tag$LAYOUT, tag$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong olen$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("olen"));

    public static final ValueLayout.OfLong olen$layout() { return olen$LAYOUT; }

    private static final long olen$OFFSET = $LAYOUT.byteOffset(groupElement("olen"));

    public static final long olen$offset() { return olen$OFFSET; }

    public static long olen(MemorySegment struct) {
        return struct.get(olen$LAYOUT, olen$OFFSET);
    }

    public static void olen(MemorySegment struct, long fieldValue) {
        struct.set(olen$LAYOUT, olen$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt err$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("err"));

    public static final ValueLayout.OfInt err$layout() { return err$LAYOUT; }

    private static final long err$OFFSET = $LAYOUT.byteOffset(groupElement("err"));

    public static final long err$offset() { return err$OFFSET; }

    public static int err(MemorySegment struct) {
        return struct.get(err$LAYOUT, err$OFFSET);
    }

    public static void err(MemorySegment struct, int fieldValue) {
        struct.set(err$LAYOUT, err$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt prov_errno$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("prov_errno"));

    public static final ValueLayout.OfInt prov_errno$layout() { return prov_errno$LAYOUT; }

    private static final long prov_errno$OFFSET = $LAYOUT.byteOffset(groupElement("prov_errno"));

    public static final long prov_errno$offset() { return prov_errno$OFFSET; }

    public static int prov_errno(MemorySegment struct) {
        return struct.get(prov_errno$LAYOUT, prov_errno$OFFSET);
    }

    public static void prov_errno(MemorySegment struct, int fieldValue) {
        struct.set(prov_errno$LAYOUT, prov_errno$OFFSET, fieldValue);
    }

    private static final AddressLayout err_data$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("err_data"));

    public static final AddressLayout err_data$layout() { return err_data$LAYOUT; }

    private static final long err_data$OFFSET = $LAYOUT.byteOffset(groupElement("err_data"));

    public static final long err_data$offset() { return err_data$OFFSET; }

    public static MemorySegment err_data(MemorySegment struct) {
        return struct.get(err_data$LAYOUT, err_data$OFFSET);
    }

    public static void err_data(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(err_data$LAYOUT, err_data$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong err_data_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("err_data_size"));

    public static final ValueLayout.OfLong err_data_size$layout() { return err_data_size$LAYOUT; }

    private static final long err_data_size$OFFSET = $LAYOUT.byteOffset(groupElement("err_data_size"));

    public static final long err_data_size$offset() { return err_data_size$OFFSET; }

    public static long err_data_size(MemorySegment struct) {
        return struct.get(err_data_size$LAYOUT, err_data_size$OFFSET);
    }

    public static void err_data_size(MemorySegment struct, long fieldValue) {
        struct.set(err_data_size$LAYOUT, err_data_size$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
