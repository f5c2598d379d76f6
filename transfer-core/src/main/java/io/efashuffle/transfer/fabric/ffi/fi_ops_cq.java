// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops_cq { size; read; readfrom; readerr; sread; sreadfrom; signal; strerror; }
 * }
 */
public class fi_ops_cq {

    fi_ops_cq() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("read"),
        fabric_h.C_POINTER.withName("readfrom"),
        fabric_h.C_POINTER.withName("readerr"),
        fabric_h.C_POINTER.withName("sread"),
        fabric_h.C_POINTER.withName("sreadfrom"),
        fabric_h.C_POINTER.withName("signal"),
        fabric_h.C_POINTER.withName("strerror")
    ).withName("fi_ops_cq");

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
     * Function pointer read: long (MemorySegment, MemorySegment, long)
     */
    public static final class read {
        read() {}

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

    private static final AddressLayout readfrom$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("readfrom"));

    public static final AddressLayout readfrom$layout() { return readfrom$LAYOUT; }

    private static final long readfrom$OFFSET = $LAYOUT.byteOffset(groupElement("readfrom"));

    public static final long readfrom$offset() { return readfrom$OFFSET; }

    public static MemorySegment readfrom(MemorySegment struct) {
        return struct.get(readfrom$LAYOUT, readfrom$OFFSET);
    }

    public static void readfrom(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(readfrom$LAYOUT, readfrom$OFFSET, fieldValue);
    }

    private static final AddressLayout readerr$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("readerr"));

    public static final AddressLayout readerr$layout() { return readerr$LAYOUT; }

    private static final long readerr$OFFSET = $LAYOUT.byteOffset(groupElement("readerr"));

    public static final long readerr$offset() { return readerr$OFFSET; }

    public static MemorySegment readerr(MemorySegment struct) {
        return struct.get(readerr$LAYOUT, readerr$OFFSET);
    }

    public static void readerr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(readerr$LAYOUT, readerr$OFFSET, fieldValue);
    }

    /**
     * Function pointer readerr: long (MemorySegment, MemorySegment, long)
     */
    public static final class readerr {
        readerr() {}

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

    private static final AddressLayout sread$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("sread"));

    public static final AddressLayout sread$layout() { return sread$LAYOUT; }

    private static final long sread$OFFSET = $LAYOUT.byteOffset(groupElement("sread"));

    public static final long sread$offset() { return sread$OFFSET; }

    public static MemorySegment sread(MemorySegment struct) {
        return struct.get(sread$LAYOUT, sread$OFFSET);
    }

    public static void sread(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(sread$LAYOUT, sread$OFFSET, fieldValue);
    }

    /**
     * Function pointer sread: long (MemorySegment, MemorySegment, long, MemorySegment, int)
     */
    public static final class sread {
        sread() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_INT);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static long invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2, MemorySegment _x3, int _x4) {
            try {
                return (long) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3, _x4);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout sreadfrom$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("sreadfrom"));

    public static final AddressLayout sreadfrom$layout() { return sreadfrom$LAYOUT; }

    private static final long sreadfrom$OFFSET = $LAYOUT.byteOffset(groupElement("sreadfrom"));

    public static final long sreadfrom$offset() { return sreadfrom$OFFSET; }

    public static MemorySegment sreadfrom(MemorySegment struct) {
        return struct.get(sreadfrom$LAYOUT, sreadfrom$OFFSET);
    }

    public static void sreadfrom(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(sreadfrom$LAYOUT, sreadfrom$OFFSET, fieldValue);
    }

    private static final AddressLayout signal$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("signal"));

    public static final AddressLayout signal$layout() { return signal$LAYOUT; }

    private static final long signal$OFFSET = $LAYOUT.byteOffset(groupElement("signal"));

    public static final long signal$offset() { return signal$OFFSET; }

    public static MemorySegment signal(MemorySegment struct) {
        return struct.get(signal$LAYOUT, signal$OFFSET);
    }

    public static void signal(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(signal$LAYOUT, signal$OFFSET, fieldValue);
    }

    /**
     * Function pointer signal: int (MemorySegment)
     */
    public static final class signal {
        signal() {}

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

    private static final AddressLayout strerror$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("strerror"));

    public static final AddressLayout strerror$layout() { return strerror$LAYOUT; }

    private static final long strerror$OFFSET = $LAYOUT.byteOffset(groupElement("strerror"));

    public static final long strerror$offset() { return strerror$OFFSET; }

    public static MemorySegment strerror(MemorySegment struct) {
        return struct.get(strerror$LAYOUT, strerror$OFFSET);
    }

    public static void strerror(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(strerror$LAYOUT, strerror$OFFSET, fieldValue);
    }

    /**
     * Function pointer strerror: MemorySegment (MemorySegment, int, MemorySegment, MemorySegment, long)
     */
    public static final class strerror {
        strerror() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static MemorySegment invoke(MemorySegment funcPtr, MemorySegment _x0, int _x1, MemorySegment _x2, MemorySegment _x3, long _x4) {
            try {
                return (MemorySegment) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3, _x4);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
