// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops_cm { size; setname; getname; getpeer; connect; listen; accept; reject; shutdown; join; }
 * }
 */
public class fi_ops_cm {

    fi_ops_cm() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("setname"),
        fabric_h.C_POINTER.withName("getname"),
        fabric_h.C_POINTER.withName("getpeer"),
        fabric_h.C_POINTER.withName("connect"),
        fabric_h.C_POINTER.withName("listen"),
        fabric_h.C_POINTER.withName("accept"),
        fabric_h.C_POINTER.withName("reject"),
        fabric_h.C_POINTER.withName("shutdown"),
        fabric_h.C_POINTER.withName("join")
    ).withName("fi_ops_cm");

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

    private static final AddressLayout setname$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("setname"));

    public static final AddressLayout setname$layout() { return setname$LAYOUT; }

    private static final long setname$OFFSET = $LAYOUT.byteOffset(groupElement("setname"));

    public static final long setname$offset() { return setname$OFFSET; }

    public static MemorySegment setname(MemorySegment struct) {
        return struct.get(setname$LAYOUT, setname$OFFSET);
    }

    public static void setname(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(setname$LAYOUT, setname$OFFSET, fieldValue);
    }

    private static final AddressLayout getname$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("getname"));

    public static final AddressLayout getname$layout() { return getname$LAYOUT; }

    private static final long getname$OFFSET = $LAYOUT.byteOffset(groupElement("getname"));

    public static final long getname$offset() { return getname$OFFSET; }

    public static MemorySegment getname(MemorySegment struct) {
        return struct.get(getname$LAYOUT, getname$OFFSET);
    }

    public static void getname(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(getname$LAYOUT, getname$OFFSET, fieldValue);
    }

    /**
     * Function pointer getname: int (MemorySegment, MemorySegment, MemorySegment)
     */
    public static final class getname {
        getname() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, MemorySegment _x2) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout getpeer$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("getpeer"));

    public static final AddressLayout getpeer$layout() { return getpeer$LAYOUT; }

    private static final long getpeer$OFFSET = $LAYOUT.byteOffset(groupElement("getpeer"));

    public static final long getpeer$offset() { return getpeer$OFFSET; }

    public static MemorySegment getpeer(MemorySegment struct) {
        return struct.get(getpeer$LAYOUT, getpeer$OFFSET);
    }

    public static void getpeer(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(getpeer$LAYOUT, getpeer$OFFSET, fieldValue);
    }

    private static final AddressLayout connect$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("connect"));

    public static final AddressLayout connect$layout() { return connect$LAYOUT; }

    private static final long connect$OFFSET = $LAYOUT.byteOffset(groupElement("connect"));

    public static final long connect$offset() { return connect$OFFSET; }

    public static MemorySegment connect(MemorySegment struct) {
        return struct.get(connect$LAYOUT, connect$OFFSET);
    }

    public static void connect(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(connect$LAYOUT, connect$OFFSET, fieldValue);
    }

    private static final AddressLayout listen$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("listen"));

    public static final AddressLayout listen$layout() { return listen$LAYOUT; }

    private static final long listen$OFFSET = $LAYOUT.byteOffset(groupElement("listen"));

    public static final long listen$offset() { return listen$OFFSET; }

    public static MemorySegment listen(MemorySegment struct) {
        return struct.get(listen$LAYOUT, listen$OFFSET);
    }

    public static void listen(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(listen$LAYOUT, listen$OFFSET, fieldValue);
    }

    private static final AddressLayout accept$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("accept"));

    public static final AddressLayout accept$layout() { return accept$LAYOUT; }

    private static final long accept$OFFSET = $LAYOUT.byteOffset(groupElement("accept"));

    public static final long accept$offset() { return accept$OFFSET; }

    public static MemorySegment accept(MemorySegment struct) {
        return struct.get(accept$LAYOUT, accept$OFFSET);
    }

    public static void accept(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(accept$LAYOUT, accept$OFFSET, fieldValue);
    }

    private static final AddressLayout reject$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("reject"));

    public static final AddressLayout reject$layout() { return reject$LAYOUT; }

    private static final long reject$OFFSET = $LAYOUT.byteOffset(groupElement("reject"));

    public static final long reject$offset() { return reject$OFFSET; }

    public static MemorySegment reject(MemorySegment struct) {
        return struct.get(reject$LAYOUT, reject$OFFSET);
    }

    public static void reject(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(reject$LAYOUT, reject$OFFSET, fieldValue);
    }

    private static final AddressLayout shutdown$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("shutdown"));

    public static final AddressLayout shutdown$layout() { return shutdown$LAYOUT; }

    private static final long shutdown$OFFSET = $LAYOUT.byteOffset(groupElement("shutdown"));

    public static final long shutdown$offset() { return shutdown$OFFSET; }

    public static MemorySegment shutdown(MemorySegment struct) {
        return struct.get(shutdown$LAYOUT, shutdown$OFFSET);
    }

    public static void shutdown(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(shutdown$LAYOUT, shutdown$OFFSET, fieldValue);
    }

    private static final AddressLayout join$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("join"));

    public static final AddressLayout join$layout() { return join$LAYOUT; }

    private static final long join$OFFSET = $LAYOUT.byteOffset(groupElement("join"));

    public static final long join$offset() { return join$OFFSET; }

    public static MemorySegment join(MemorySegment struct) {
        return struct.get(join$LAYOUT, join$OFFSET);
    }

    public static void join(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(join$LAYOUT, join$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
