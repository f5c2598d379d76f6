// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops_mr { size; reg; regv; regattr; }
 * }
 */
public class fi_ops_mr {

    fi_ops_mr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("reg"),
        fabric_h.C_POINTER.withName("regv"),
        fabric_h.C_POINTER.withName("regattr")
    ).withName("fi_ops_mr");

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

    private static final AddressLayout reg$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("reg"));

    public static final AddressLayout reg$layout() { return reg$LAYOUT; }

    private static final long reg$OFFSET = $LAYOUT.byteOffset(groupElement("reg"));

    public static final long reg$offset() { return reg$OFFSET; }

    public static MemorySegment reg(MemorySegment struct) {
        return struct.get(reg$LAYOUT, reg$OFFSET);
    }

    public static void reg(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(reg$LAYOUT, reg$OFFSET, fieldValue);
    }

    /**
     * Function pointer reg: int (MemorySegment, MemorySegment, long, long, long, long, long, MemorySegment, MemorySegment)
     */
    public static final class reg {
        reg() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_LONG, fabric_h.C_LONG, fabric_h.C_LONG, fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2, long _x3, long _x4, long _x5, long _x6, MemorySegment _x7, MemorySegment _x8) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3, _x4, _x5, _x6, _x7, _x8);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout regv$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("regv"));

    public static final AddressLayout regv$layout() { return regv$LAYOUT; }

    private static final long regv$OFFSET = $LAYOUT.byteOffset(groupElement("regv"));

    public static final long regv$offset() { return regv$OFFSET; }

    public static MemorySegment regv(MemorySegment struct) {
        return struct.get(regv$LAYOUT, regv$OFFSET);
    }

    public static void regv(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(regv$LAYOUT, regv$OFFSET, fieldValue);
    }

    private static final AddressLayout regattr$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("regattr"));

    public static final AddressLayout regattr$layout() { return regattr$LAYOUT; }

    private static final long regattr$OFFSET = $LAYOUT.byteOffset(groupElement("regattr"));

    public static final long regattr$offset() { return regattr$OFFSET; }

    public static MemorySegment regattr(MemorySegment struct) {
        return struct.get(regattr$LAYOUT, regattr$OFFSET);
    }

    public static void regattr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(regattr$LAYOUT, regattr$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
