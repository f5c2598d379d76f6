// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_cq_attr { size; flags; format; wait_obj; signaling_vector; wait_cond; wait_set; }
 * }
 */
public class fi_cq_attr {

    fi_cq_attr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_LONG.withName("flags"),
        fabric_h.C_INT.withName("format"),
        fabric_h.C_INT.withName("wait_obj"),
        fabric_h.C_INT.withName("signaling_vector"),
        fabric_h.C_INT.withName("wait_cond"),
        fabric_h.C_POINTER.withName("wait_set")
    ).withName("fi_cq_attr");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
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

    private static final ValueLayout.OfInt format$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("format"));

    public static final ValueLayout.OfInt format$layout() { return format$LAYOUT; }

    private static final long format$OFFSET = $LAYOUT.byteOffset(groupElement("format"));

    public static final long format$offset() { return format$OFFSET; }

    public static int format(MemorySegment struct) {
        return struct.get(format$LAYOUT, format$OFFSET);
    }

    public static void format(MemorySegment struct, int fieldValue) {
        struct.set(format$LAYOUT, format$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt wait_obj$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("wait_obj"));

    public static final ValueLayout.OfInt wait_obj$layout() { return wait_obj$LAYOUT; }

    private static final long wait_obj$OFFSET = $LAYOUT.byteOffset(groupElement("wait_obj"));

    public static final long wait_obj$offset() { return wait_obj$OFFSET; }

    public static int wait_obj(MemorySegment struct) {
        return struct.get(wait_obj$LAYOUT, wait_obj$OFFSET);
    }

    public static void wait_obj(MemorySegment struct, int fieldValue) {
        struct.set(wait_obj$LAYOUT, wait_obj$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt signaling_vector$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("signaling_vector"));

    public static final ValueLayout.OfInt signaling_vector$layout() { return signaling_vector$LAYOUT; }

    private static final long signaling_vector$OFFSET = $LAYOUT.byteOffset(groupElement("signaling_vector"));

    public static final long signaling_vector$offset() { return signaling_vector$OFFSET; }

    public static int signaling_vector(MemorySegment struct) {
        return struct.get(signaling_vector$LAYOUT, signaling_vector$OFFSET);
    }

    public static void signaling_vector(MemorySegment struct, int fieldValue) {
        struct.set(signaling_vector$LAYOUT, signaling_vector$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt wait_cond$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("wait_cond"));

    public static final ValueLayout.OfInt wait_cond$layout() { return wait_cond$LAYOUT; }

    private static final long wait_cond$OFFSET = $LAYOUT.byteOffset(groupElement("wait_cond"));

    public static final long wait_cond$offset() { return wait_cond$OFFSET; }

    public static int wait_cond(MemorySegment struct) {
        return struct.get(wait_cond$LAYOUT, wait_cond$OFFSET);
    }

    public static void wait_cond(MemorySegment struct, int fieldValue) {
        struct.set(wait_cond$LAYOUT, wait_cond$OFFSET, fieldValue);
    }

    private static final AddressLayout wait_set$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("wait_set"));

    public static final AddressLayout wait_set$layout() { return wait_set$LAYOUT; }

    private static final long wait_set$OFFSET = $LAYOUT.byteOffset(groupElement("wait_set"));

    public static final long wait_set$offset() { return wait_set$OFFSET; }

    public static MemorySegment wait_set(MemorySegment struct) {
        return struct.get(wait_set$LAYOUT, wait_set$OFFSET);
    }

    public static void wait_set(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(wait_set$LAYOUT, wait_set$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
