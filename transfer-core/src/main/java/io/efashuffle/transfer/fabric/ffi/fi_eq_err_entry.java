// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_eq_err_entry { fid; context; data; err; prov_errno; err_data; err_data_size; }
 * }
 */
public class fi_eq_err_entry {

    fi_eq_err_entry() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_POINTER.withName("fid"),
        fabric_h.C_POINTER.withName("context"),
        fabric_h.C_LONG.withName("data"),
        fabric_h.C_INT.withName("err"),
        fabric_h.C_INT.withName("prov_errno"),
        fabric_h.C_POINTER.withName("err_data"),
        fabric_h.C_LONG.withName("err_data_size")
    ).withName("fi_eq_err_entry");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout fid$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("fid"));

    public static final AddressLayout fid$layout() { return fid$LAYOUT; }

    private static final long fid$OFFSET = $LAYOUT.byteOffset(groupElement("fid"));

    public static final long fid$offset() { return fid$OFFSET; }

    public static MemorySegment fid(MemorySegment struct) {
        return struct.get(fid$LAYOUT, fid$OFFSET);
    }

    public static void fid(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(fid$LAYOUT, fid$OFFSET, fieldValue);
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
