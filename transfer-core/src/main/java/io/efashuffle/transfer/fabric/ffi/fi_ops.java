// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops { size; close; bind; control; ops_open; tostr; ops_set; }
 * }
 */
public class fi_ops {

    fi_ops() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("close"),
        fabric_h.C_POINTER.withName("bind"),
        fabric_h.C_POINTER.withName("control"),
        fabric_h.C_POINTER.withName("ops_open"),
        fabric_h.C_POINTER.withName("tostr"),
        fabric_h.C_POINTER.withName("ops_set")
    ).withName("fi_ops");

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

    private static final AddressLayout close$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("close"));

    public static final AddressLayout close$layout() { return close$LAYOUT; }

    private static final long close$OFFSET = $LAYOUT.byteOffset(groupElement("close"));

    public static final long close$offset() { return close$OFFSET; }

    public static MemorySegment close(MemorySegment struct) {
        return struct.get(close$LAYOUT, close$OFFSET);
    }

    public static void close(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(close$LAYOUT, close$OFFSET, fieldValue);
    }

    /**
     * Function pointer close: int (MemorySegment)
     */
    public static final class close {
        close() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout bind$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("bind"));

    public static final AddressLayout bind$layout() { return bind$LAYOUT; }

    private static final long bind$OFFSET = $LAYOUT.byteOffset(groupElement("bind"));

    public static final long bind$offset() { return bind$OFFSET; }

    public static MemorySegment bind(MemorySegment struct) {
        return struct.get(bind$LAYOUT, bind$OFFSET);
    }

    public static void bind(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(bind$LAYOUT, bind$OFFSET, fieldValue);
    }

    /**
     * Function pointer bind: int (MemorySegment, MemorySegment, long)
     */
    public static final class bind {
        bind() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout control$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("control"));

    public static final AddressLayout control$layout() { return control$LAYOUT; }

    private static final long control$OFFSET = $LAYOUT.byteOffset(groupElement("control"));

    public static final long control$offset() { return control$OFFSET; }

    public static MemorySegment control(MemorySegment struct) {
        return struct.get(control$LAYOUT, control$OFFSET);
    }

    public static void control(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(control$LAYOUT, control$OFFSET, fieldValue);
    }

    /**
     * Function pointer control: int (MemorySegment, int, MemorySegment)
     */
    public static final class control {
        control() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_INT, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, int _x1, MemorySegment _x2) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout ops_open$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("ops_open"));

    public static final AddressLayout ops_open$layout() { return ops_open$LAYOUT; }

    private static final long ops_open$OFFSET = $LAYOUT.byteOffset(groupElement("ops_open"));

    public static final long ops_open$offset() { return ops_open$OFFSET; }

    public static MemorySegment ops_open(MemorySegment struct) {
        return struct.get(ops_open$LAYOUT, ops_open$OFFSET);
    }

    public static void ops_open(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(ops_open$LAYOUT, ops_open$OFFSET, fieldValue);
    }

    private static final AddressLayout tostr$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("tostr"));

    public static final AddressLayout tostr$layout() { return tostr$LAYOUT; }

    private static final long tostr$OFFSET = $LAYOUT.byteOffset(groupElement("tostr"));

    public static final long tostr$offset() { return tostr$OFFSET; }

    public static MemorySegment tostr(MemorySegment struct) {
        return struct.get(tostr$LAYOUT, tostr$OFFSET);
    }

    public static void tostr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tostr$LAYOUT, tostr$OFFSET, fieldValue);
    }

    private static final AddressLayout ops_set$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("ops_set"));

    public static final AddressLayout ops_set$layout() { return ops_set$LAYOUT; }

    private static final long ops_set$OFFSET = $LAYOUT.byteOffset(groupElement("ops_set"));

    public static final long ops_set$offset() { return ops_set$OFFSET; }

    public static MemorySegment ops_set(MemorySegment struct) {
        return struct.get(ops_set$LAYOUT, ops_set$OFFSET);
    }

    public static void ops_set(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(ops_set$LAYOUT, ops_set$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
