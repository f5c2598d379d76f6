// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops_domain { size; av_open; cq_open; endpoint; scalable_ep; cntr_open; poll_open; stx_ctx; srx_ctx; query_atomic; query_collective; endpoint2; }
 * }
 */
public class fi_ops_domain {

    fi_ops_domain() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("av_open"),
        fabric_h.C_POINTER.withName("cq_open"),
        fabric_h.C_POINTER.withName("endpoint"),
        fabric_h.C_POINTER.withName("scalable_ep"),
        fabric_h.C_POINTER.withName("cntr_open"),
        fabric_h.C_POINTER.withName("poll_open"),
        fabric_h.C_POINTER.withName("stx_ctx"),
        fabric_h.C_POINTER.withName("srx_ctx"),
        fabric_h.C_POINTER.withName("query_atomic"),
        fabric_h.C_POINTER.withName("query_collective"),
        fabric_h.C_POINTER.withName("endpoint2")
    ).withName("fi_ops_domain");

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

    private static final AddressLayout av_open$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("av_open"));

    public static final AddressLayout av_open$layout() { return av_open$LAYOUT; }

    private static final long av_open$OFFSET = $LAYOUT.byteOffset(groupElement("av_open"));

    public static final long av_open$offset() { return av_open$OFFSET; }

    public static MemorySegment av_open(MemorySegment struct) {
        return struct.get(av_open$LAYOUT, av_open$OFFSET);
    }

    public static void av_open(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(av_open$LAYOUT, av_open$OFFSET, fieldValue);
    }

    /**
     * Function pointer av_open: int (MemorySegment, MemorySegment, MemorySegment, MemorySegment)
     */
    public static final class av_open {
        av_open() {}

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

    private static final AddressLayout cq_open$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cq_open"));

    public static final AddressLayout cq_open$layout() { return cq_open$LAYOUT; }

    private static final long cq_open$OFFSET = $LAYOUT.byteOffset(groupElement("cq_open"));

    public static final long cq_open$offset() { return cq_open$OFFSET; }

    public static MemorySegment cq_open(MemorySegment struct) {
        return struct.get(cq_open$LAYOUT, cq_open$OFFSET);
    }

    public static void cq_open(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(cq_open$LAYOUT, cq_open$OFFSET, fieldValue);
    }

    /**
     * Function pointer cq_open: int (MemorySegment, MemorySegment, MemorySegment, MemorySegment)
     */
    public static final class cq_open {
        cq_open() {}

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

    private static final AddressLayout endpoint$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("endpoint"));

    public static final AddressLayout endpoint$layout() { return endpoint$LAYOUT; }

    private static final long endpoint$OFFSET = $LAYOUT.byteOffset(groupElement("endpoint"));

    public static final long endpoint$offset() { return endpoint$OFFSET; }

    public static MemorySegment endpoint(MemorySegment struct) {
        return struct.get(endpoint$LAYOUT, endpoint$OFFSET);
    }

    public static void endpoint(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(endpoint$LAYOUT, endpoint$OFFSET, fieldValue);
    }

    /**
     * Function pointer endpoint: int (MemorySegment, MemorySegment, MemorySegment, MemorySegment)
     */
    public static final class endpoint {
        endpoint() {}

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

    private static final AddressLayout scalable_ep$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("scalable_ep"));

    public static final AddressLayout scalable_ep$layout() { return scalable_ep$LAYOUT; }

    private static final long scalable_ep$OFFSET = $LAYOUT.byteOffset(groupElement("scalable_ep"));

    public static final long scalable_ep$offset() { return scalable_ep$OFFSET; }

    public static MemorySegment scalable_ep(MemorySegment struct) {
        return struct.get(scalable_ep$LAYOUT, scalable_ep$OFFSET);
    }

    public static void scalable_ep(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(scalable_ep$LAYOUT, scalable_ep$OFFSET, fieldValue);
    }

    private static final AddressLayout cntr_open$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cntr_open"));

    public static final AddressLayout cntr_open$layout() { return cntr_open$LAYOUT; }

    private static final long cntr_open$OFFSET = $LAYOUT.byteOffset(groupElement("cntr_open"));

    public static final long cntr_open$offset() { return cntr_open$OFFSET; }

    public static MemorySegment cntr_open(MemorySegment struct) {
        return struct.get(cntr_open$LAYOUT, cntr_open$OFFSET);
    }

    public static void cntr_open(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(cntr_open$LAYOUT, cntr_open$OFFSET, fieldValue);
    }

    private static final AddressLayout poll_open$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("poll_open"));

    public static final AddressLayout poll_open$layout() { return poll_open$LAYOUT; }

    private static final long poll_open$OFFSET = $LAYOUT.byteOffset(groupElement("poll_open"));

    public static final long poll_open$offset() { return poll_open$OFFSET; }

    public static MemorySegment poll_open(MemorySegment struct) {
        return struct.get(poll_open$LAYOUT, poll_open$OFFSET);
    }

    public static void poll_open(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(poll_open$LAYOUT, poll_open$OFFSET, fieldValue);
    }

    private static final AddressLayout stx_ctx$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("stx_ctx"));

    public static final AddressLayout stx_ctx$layout() { return stx_ctx$LAYOUT; }

    private static final long stx_ctx$OFFSET = $LAYOUT.byteOffset(groupElement("stx_ctx"));

    public static final long stx_ctx$offset() { return stx_ctx$OFFSET; }

    public static MemorySegment stx_ctx(MemorySegment struct) {
        return struct.get(stx_ctx$LAYOUT, stx_ctx$OFFSET);
    }

    public static void stx_ctx(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(stx_ctx$LAYOUT, stx_ctx$OFFSET, fieldValue);
    }

    private static final AddressLayout srx_ctx$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("srx_ctx"));

    public static final AddressLayout srx_ctx$layout() { return srx_ctx$LAYOUT; }

    private static final long srx_ctx$OFFSET = $LAYOUT.byteOffset(groupElement("srx_ctx"));

    public static final long srx_ctx$offset() { return srx_ctx$OFFSET; }

    public static MemorySegment srx_ctx(MemorySegment struct) {
        return struct.get(srx_ctx$LAYOUT, srx_ctx$OFFSET);
    }

    public static void srx_ctx(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(srx_ctx$LAYOUT, srx_ctx$OFFSET, fieldValue);
    }

    private static final AddressLayout query_atomic$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("query_atomic"));

    public static final AddressLayout query_atomic$layout() { return query_atomic$LAYOUT; }

    private static final long query_atomic$OFFSET = $LAYOUT.byteOffset(groupElement("query_atomic"));

    public static final long query_atomic$offset() { return query_atomic$OFFSET; }

    public static MemorySegment query_atomic(MemorySegment struct) {
        return struct.get(query_atomic$LAYOUT, query_atomic$OFFSET);
    }

    public static void query_atomic(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(query_atomic$LAYOUT, query_atomic$OFFSET, fieldValue);
    }

    private static final AddressLayout query_collective$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("query_collective"));

    public static final AddressLayout query_collective$layout() { return query_collective$LAYOUT; }

    private static final long query_collective$OFFSET = $LAYOUT.byteOffset(groupElement("query_collective"));

    public static final long query_collective$offset() { return query_collective$OFFSET; }

    public static MemorySegment query_collective(MemorySegment struct) {
        return struct.get(query_collective$LAYOUT, query_collective$OFFSET);
    }

    public static void query_collective(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(query_collective$LAYOUT, query_collective$OFFSET, fieldValue);
    }

    private static final AddressLayout endpoint2$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("endpoint2"));

    public static final AddressLayout endpoint2$layout() { return endpoint2$LAYOUT; }

    private static final long endpoint2$OFFSET = $LAYOUT.byteOffset(groupElement("endpoint2"));

    public static final long endpoint2$offset() { return endpoint2$OFFSET; }

    public static MemorySegment endpoint2(MemorySegment struct) {
        return struct.get(endpoint2$LAYOUT, endpoint2$OFFSET);
    }

    public static void endpoint2(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(endpoint2$LAYOUT, endpoint2$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
