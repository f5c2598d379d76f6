// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_cq_entry { op_context; }
 * }
 */
public class fi_cq_entry {

    fi_cq_entry() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_POINTER.withName("op_context")
    ).withName("fi_cq_entry");

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

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
