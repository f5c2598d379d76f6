// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops_rma { size; read; readv; readmsg; write; writev; writemsg; inject; writedata; injectdata; }
 * }
 */
public class fi_ops_rma {

    fi_ops_rma() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("read"),
        fabric_h.C_POINTER.withName("readv"),
        fabric_h.C_POINTER.withName("readmsg"),
        fabric_h.C_POINTER.withName("write"),
        fabric_h.C_POINTER.withName("writev"),
        fabric_h.C_POINTER.withName("writemsg"),
        fabric_h.C_POINTER.withName("inject"),
        fabric_h.C_POINTER.withName("writedata"),
        fabric_h.C_POINTER.withName("injectdata")
    ).withName("fi_ops_rma");

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

    private static final AddressLayout read$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("read"));

    public static final AddressLayout read$layout() { return read$LAYOUT; }

    private static final long read$OFFSET = $LAYOUT.byteOffset(groupElement("read"));

    public static final long read$offset() { return read$OFFSET; }

    public static MemorySegment read(MemorySegment struct) {
        return struct.get(read$LAYOUT, read$OFFSET);
    }

    public static void read(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(read$LAYOUT, read$OFFSET, fieldValue);
    }

    /**
     * Function pointer read: long (MemorySegment, MemorySegment, long, MemorySegment, long, long, long, MemorySegment)
     */
    public static final class read {
        read() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_LONG, fabric_h.C_LONG, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static long invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2, MemorySegment _x3, long _x4, long _x5, long _x6, MemorySegment _x7) {
            try {
                return (long) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3, _x4, _x5, _x6, _x7);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout readv$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("readv"));

    public static final AddressLayout readv$layout() { return readv$LAYOUT; }

    private static final long readv$OFFSET = $LAYOUT.byteOffset(groupElement("readv"));

    public static final long readv$offset() { return readv$OFFSET; }

    public static MemorySegment readv(MemorySegment struct) {
        return struct.get(readv$LAYOUT, readv$OFFSET);
    }

    public static void readv(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(readv$LAYOUT, readv$OFFSET, fieldValue);
    }

    private static final AddressLayout readmsg$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("readmsg"));

    public static final AddressLayout readmsg$layout() { return readmsg$LAYOUT; }

    private static final long readmsg$OFFSET = $LAYOUT.byteOffset(groupElement("readmsg"));

    public static final long readmsg$offset() { return readmsg$OFFSET; }

    public static MemorySegment readmsg(MemorySegment struct) {
        return struct.get(readmsg$LAYOUT, readmsg$OFFSET);
    }

    public static void readmsg(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(readmsg$LAYOUT, readmsg$OFFSET, fieldValue);
    }

    /**
     * Function pointer readmsg: long (MemorySegment, MemorySegment, long)
     */
    public static final class readmsg {
        readmsg() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static long invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2) {
            try {
                return (long) $MH.invokeExact(funcPtr, _x0, _x1, _x2);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout write$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("write"));

    public static final AddressLayout write$layout() { return write$LAYOUT; }

    private static final long write$OFFSET = $LAYOUT.byteOffset(groupElement("write"));

    public static final long write$offset() { return write$OFFSET; }

    public static MemorySegment write(MemorySegment struct) {
        return struct.get(write$LAYOUT, write$OFFSET);
    }

    public static void write(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(write$LAYOUT, write$OFFSET, fieldValue);
    }

    /**
     * Function pointer write: long (MemorySegment, MemorySegment, long, MemorySegment, long, long, long, MemorySegment)
     */
    public static final class write {
        write() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_LONG, fabric_h.C_LONG, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static long invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2, MemorySegment _x3, long _x4, long _x5, long _x6, MemorySegment _x7) {
            try {
                return (long) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3, _x4, _x5, _x6, _x7);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout writev$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("writev"));

    public static final AddressLayout writev$layout() { return writev$LAYOUT; }

    private static final long writev$OFFSET = $LAYOUT.byteOffset(groupElement("writev"));

    public static final long writev$offset() { return writev$OFFSET; }

    public static MemorySegment writev(MemorySegment struct) {
        return struct.get(writev$LAYOUT, writev$OFFSET);
    }

    public static void writev(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(writev$LAYOUT, writev$OFFSET, fieldValue);
    }

    private static final AddressLayout writemsg$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("writemsg"));

    public static final AddressLayout writemsg$layout() { return writemsg$LAYOUT; }

    private static final long writemsg$OFFSET = $LAYOUT.byteOffset(groupElement("writemsg"));

    public static final long writemsg$offset() { return writemsg$OFFSET; }

    public static MemorySegment writemsg(MemorySegment struct) {
        return struct.get(writemsg$LAYOUT, writemsg$OFFSET);
    }

    public static void writemsg(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(writemsg$LAYOUT, writemsg$OFFSET, fieldValue);
    }

    /**
     * Function pointer writemsg: long (MemorySegment, MemorySegment, long)
     */
    public static final class writemsg {
        writemsg() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static long invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2) {
            try {
                return (long) $MH.invokeExact(funcPtr, _x0, _x1, _x2);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout inject$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("inject"));

    public static final AddressLayout inject$layout() { return inject$LAYOUT; }

    private static final long inject$OFFSET = $LAYOUT.byteOffset(groupElement("inject"));

    public static final long inject$offset() { return inject$OFFSET; }

    public static MemorySegment inject(MemorySegment struct) {
        return struct.get(inject$LAYOUT, inject$OFFSET);
    }

    public static void inject(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(inject$LAYOUT, inject$OFFSET, fieldValue);
    }

    private static final AddressLayout writedata$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("writedata"));

    public static final AddressLayout writedata$layout() { return writedata$LAYOUT; }

    private static final long writedata$OFFSET = $LAYOUT.byteOffset(groupElement("writedata"));

    public static final long writedata$offset() { return writedata$OFFSET; }

    public static MemorySegment writedata(MemorySegment struct) {
        return struct.get(writedata$LAYOUT, writedata$OFFSET);
    }

    public static void writedata(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(writedata$LAYOUT, writedata$OFFSET, fieldValue);
    }

    private static final AddressLayout injectdata$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("injectdata"));

    public static final AddressLayout injectdata$layout() { return injectdata$LAYOUT; }

    private static final long injectdata$OFFSET = $LAYOUT.byteOffset(groupElement("injectdata"));

    public static final long injectdata$offset() { return injectdata$OFFSET; }

    public static MemorySegment injectdata(MemorySegment struct) {
        return struct.get(injectdata$LAYOUT, injectdata$OFFSET);
    }

    public static void injectdata(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(injectdata$LAYOUT, injectdata$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
