// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops_ep { size; cancel; getopt; setopt; tx_ctx; rx_ctx; rx_size_left; tx_size_left; }
 * }
 */
public class fi_ops_ep {

    fi_ops_ep() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("cancel"),
        fabric_h.C_POINTER.withName("getopt"),
        fabric_h.C_POINTER.withName("setopt"),
        fabric_h.C_POINTER.withName("tx_ctx"),
        fabric_h.C_POINTER.withName("rx_ctx"),
        fabric_h.C_POINTER.withName("rx_size_left"),
        fabric_h.C_POINTER.withName("tx_size_left")
    ).withName("fi_ops_ep");

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

    private static final AddressLayout cancel$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cancel"));

    public static final AddressLayout cancel$layout() { return cancel$LAYOUT; }

    private static final long cancel$OFFSET = $LAYOUT.byteOffset(groupElement("cancel"));

    public static final long cancel$offset() { return cancel$OFFSET; }

    public static MemorySegment cancel(MemorySegment struct) {
        return struct.get(cancel$LAYOUT, cancel$OFFSET);
    }

    public static void cancel(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(cancel$LAYOUT, cancel$OFFSET, fieldValue);
    }

    /**
     * Function pointer cancel: long (MemorySegment, MemorySegment)
     */
    public static final class cancel {
        cancel() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static long invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1) {
            try {
                return (long) $MH.invokeExact(funcPtr, _x0, _x1);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout getopt$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("getopt"));

    public static final AddressLayout getopt$layout() { return getopt$LAYOUT; }

    private static final long getopt$OFFSET = $LAYOUT.byteOffset(groupElement("getopt"));

    public static final long getopt$offset() { return getopt$OFFSET; }

    public static MemorySegment getopt(MemorySegment struct) {
        return struct.get(getopt$LAYOUT, getopt$OFFSET);
    }

    public static void getopt(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(getopt$LAYOUT, getopt$OFFSET, fieldValue);
    }

    /**
     * Function pointer getopt: int (MemorySegment, int, int, MemorySegment, MemorySegment)
     */
    public static final class getopt {
        getopt() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_INT, fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, int _x1, int _x2, MemorySegment _x3, MemorySegment _x4) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3, _x4);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout setopt$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("setopt"));

    public static final AddressLayout setopt$layout() { return setopt$LAYOUT; }

    private static final long setopt$OFFSET = $LAYOUT.byteOffset(groupElement("setopt"));

    public static final long setopt$offset() { return setopt$OFFSET; }

    public static MemorySegment setopt(MemorySegment struct) {
        return struct.get(setopt$LAYOUT, setopt$OFFSET);
    }

    public static void setopt(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(setopt$LAYOUT, setopt$OFFSET, fieldValue);
    }

    /**
     * Function pointer setopt: int (MemorySegment, int, int, MemorySegment, long)
     */
    public static final class setopt {
        setopt() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_INT, fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_LONG);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, int _x1, int _x2, MemorySegment _x3, long _x4) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3, _x4);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout tx_ctx$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("tx_ctx"));

    public static final AddressLayout tx_ctx$layout() { return tx_ctx$LAYOUT; }

    private static final long tx_ctx$OFFSET = $LAYOUT.byteOffset(groupElement("tx_ctx"));

    public static final long tx_ctx$offset() { return tx_ctx$OFFSET; }

    public static MemorySegment tx_ctx(MemorySegment struct) {
        return struct.get(tx_ctx$LAYOUT, tx_ctx$OFFSET);
    }

    public static void tx_ctx(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tx_ctx$LAYOUT, tx_ctx$OFFSET, fieldValue);
    }

    private static final AddressLayout rx_ctx$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("rx_ctx"));

    public static final AddressLayout rx_ctx$layout() { return rx_ctx$LAYOUT; }

    private static final long rx_ctx$OFFSET = $LAYOUT.byteOffset(groupElement("rx_ctx"));

    public static final long rx_ctx$offset() { return rx_ctx$OFFSET; }

    public static MemorySegment rx_ctx(MemorySegment struct) {
        return struct.get(rx_ctx$LAYOUT, rx_ctx$OFFSET);
    }

    public static void rx_ctx(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rx_ctx$LAYOUT, rx_ctx$OFFSET, fieldValue);
    }

    private static final AddressLayout rx_size_left$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("rx_size_left"));

    public static final AddressLayout rx_size_left$layout() { return rx_size_left$LAYOUT; }

    private static final long rx_size_left$OFFSET = $LAYOUT.byteOffset(groupElement("rx_size_left"));

    public static final long rx_size_left$offset() { return rx_size_left$OFFSET; }

    public static MemorySegment rx_size_left(MemorySegment struct) {
        return struct.get(rx_size_left$LAYOUT, rx_size_left$OFFSET);
    }

    public static void rx_size_left(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rx_size_left$LAYOUT, rx_size_left$OFFSET, fieldValue);
    }

    private static final AddressLayout tx_size_left$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("tx_size_left"));

    public static final AddressLayout tx_size_left$layout() { return tx_size_left$LAYOUT; }

    private static final long tx_size_left$OFFSET = $LAYOUT.byteOffset(groupElement("tx_size_left"));

    public static final long tx_size_left$offset() { return tx_size_left$OFFSET; }

    public static MemorySegment tx_size_left(MemorySegment struct) {
        return struct.get(tx_size_left$LAYOUT, tx_size_left$OFFSET);
    }

    public static void tx_size_left(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tx_size_left$LAYOUT, tx_size_left$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
