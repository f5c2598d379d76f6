// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops_fabric { size; domain; passive_ep; eq_open; wait_open; trywait; domain2; }
 * }
 */
public class fi_ops_fabric {

    fi_ops_fabric() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("domain"),
        fabric_h.C_POINTER.withName("passive_ep"),
        fabric_h.C_POINTER.withName("eq_open"),
        fabric_h.C_POINTER.withName("wait_open"),
        fabric_h.C_POINTER.withName("trywait"),
        fabric_h.C_POINTER.withName("domain2")
    ).withName("fi_ops_fabric");

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

    private static final AddressLayout domain$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("domain"));

    public static final AddressLayout domain$layout() { return domain$LAYOUT; }

    private static final long domain$OFFSET = $LAYOUT.byteOffset(groupElement("domain"));

    public static final long domain$offset() { return domain$OFFSET; }

    public static MemorySegment domain(MemorySegment struct) {
        return struct.get(domain$LAYOUT, domain$OFFSET);
    }

    public static void domain(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(domain$LAYOUT, domain$OFFSET, fieldValue);
    }

    /**
     * Function pointer domain: int (MemorySegment, MemorySegment, MemorySegment, MemorySegment)
     */
    public static final class domain {
        domain() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, MemorySegment _x2, MemorySegment _x3) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout passive_ep$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("passive_ep"));

    public static final AddressLayout passive_ep$layout() { return passive_ep$LAYOUT; }

    private static final long passive_ep$OFFSET = $LAYOUT.byteOffset(groupElement("passive_ep"));

    public static final long passive_ep$offset() { return passive_ep$OFFSET; }

    public static MemorySegment passive_ep(MemorySegment struct) {
        return struct.get(passive_ep$LAYOUT, passive_ep$OFFSET);
    }

    public static void passive_ep(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(passive_ep$LAYOUT, passive_ep$OFFSET, fieldValue);
    }

    private static final AddressLayout eq_open$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("eq_open"));

    public static final AddressLayout eq_open$layout() { return eq_open$LAYOUT; }

    private static final long eq_open$OFFSET = $LAYOUT.byteOffset(groupElement("eq_open"));

    public static final long eq_open$offset() { return eq_open$OFFSET; }

    public static MemorySegment eq_open(MemorySegment struct) {
        return struct.get(eq_open$LAYOUT, eq_open$OFFSET);
    }

    public static void eq_open(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(eq_open$LAYOUT, eq_open$OFFSET, fieldValue);
    }

    /**
     * Function pointer eq_open: int (MemorySegment, MemorySegment, MemorySegment, MemorySegment)
     */
    public static final class eq_open {
        eq_open() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, MemorySegment _x2, MemorySegment _x3) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout wait_open$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("wait_open"));

    public static final AddressLayout wait_open$layout() { return wait_open$LAYOUT; }

    private static final long wait_open$OFFSET = $LAYOUT.byteOffset(groupElement("wait_open"));

    public static final long wait_open$offset() { return wait_open$OFFSET; }

    public static MemorySegment wait_open(MemorySegment struct) {
        return struct.get(wait_open$LAYOUT, wait_open$OFFSET);
    }

    public static void wait_open(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(wait_open$LAYOUT, wait_open$OFFSET, fieldValue);
    }

    private static final AddressLayout trywait$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("trywait"));

    public static final AddressLayout trywait$layout() { return trywait$LAYOUT; }

    private static final long trywait$OFFSET = $LAYOUT.byteOffset(groupElement("trywait"));

    public static final long trywait$offset() { return trywait$OFFSET; }

    public static MemorySegment trywait(MemorySegment struct) {
        return struct.get(trywait$LAYOUT, trywait$OFFSET);
    }

    public static void trywait(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(trywait$LAYOUT, trywait$OFFSET, fieldValue);
    }

    private static final AddressLayout domain2$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("domain2"));

    public static final AddressLayout domain2$layout() { return domain2$LAYOUT; }

    private static final long domain2$OFFSET = $LAYOUT.byteOffset(groupElement("domain2"));

    public static final long domain2$offset() { return domain2$OFFSET; }

    public static MemorySegment domain2(MemorySegment struct) {
        return struct.get(domain2$LAYOUT, domain2$OFFSET);
    }

    public static void domain2(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(domain2$LAYOUT, domain2$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
