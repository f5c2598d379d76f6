// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ops_av { size; insert; insertsvc; insertsym; remove; lookup; straddr; av_set; }
 * }
 */
public class fi_ops_av {

    fi_ops_av() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_LONG.withName("size"),
        fabric_h.C_POINTER.withName("insert"),
        fabric_h.C_POINTER.withName("insertsvc"),
        fabric_h.C_POINTER.withName("insertsym"),
        fabric_h.C_POINTER.withName("remove"),
        fabric_h.C_POINTER.withName("lookup"),
        fabric_h.C_POINTER.withName("straddr"),
        fabric_h.C_POINTER.withName("av_set")
    ).withName("fi_ops_av");

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

    private static final AddressLayout insert$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("insert"));

    public static final AddressLayout insert$layout() { return insert$LAYOUT; }

    private static final long insert$OFFSET = $LAYOUT.byteOffset(groupElement("insert"));

    public static final long insert$offset() { return insert$OFFSET; }

    public static MemorySegment insert(MemorySegment struct) {
        return struct.get(insert$LAYOUT, insert$OFFSET);
    }

    public static void insert(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(insert$LAYOUT, insert$OFFSET, fieldValue);
    }

    /**
     * Function pointer insert: int (MemorySegment, MemorySegment, long, MemorySegment, long, MemorySegment)
     */
    public static final class insert {
        insert() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_POINTER);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2, MemorySegment _x3, long _x4, MemorySegment _x5) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3, _x4, _x5);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout insertsvc$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("insertsvc"));

    public static final AddressLayout insertsvc$layout() { return insertsvc$LAYOUT; }

    private static final long insertsvc$OFFSET = $LAYOUT.byteOffset(groupElement("insertsvc"));

    public static final long insertsvc$offset() { return insertsvc$OFFSET; }

    public static MemorySegment insertsvc(MemorySegment struct) {
        return struct.get(insertsvc$LAYOUT, insertsvc$OFFSET);
    }

    public static void insertsvc(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(insertsvc$LAYOUT, insertsvc$OFFSET, fieldValue);
    }

    private static final AddressLayout insertsym$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("insertsym"));

    public static final AddressLayout insertsym$layout() { return insertsym$LAYOUT; }

    private static final long insertsym$OFFSET = $LAYOUT.byteOffset(groupElement("insertsym"));

    public static final long insertsym$offset() { return insertsym$OFFSET; }

    public static MemorySegment insertsym(MemorySegment struct) {
        return struct.get(insertsym$LAYOUT, insertsym$OFFSET);
    }

    public static void insertsym(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(insertsym$LAYOUT, insertsym$OFFSET, fieldValue);
    }

    private static final AddressLayout remove$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("remove"));

    public static final AddressLayout remove$layout() { return remove$LAYOUT; }

    private static final long remove$OFFSET = $LAYOUT.byteOffset(groupElement("remove"));

    public static final long remove$offset() { return remove$OFFSET; }

    public static MemorySegment remove(MemorySegment struct) {
        return struct.get(remove$LAYOUT, remove$OFFSET);
    }

    public static void remove(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(remove$LAYOUT, remove$OFFSET, fieldValue);
    }

    /**
     * Function pointer remove: int (MemorySegment, MemorySegment, long, long)
     */
    public static final class remove {
        remove() {}

        public static final FunctionDescriptor $DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_LONG);

        public static FunctionDescriptor descriptor() { return $DESC; }

        public static final MethodHandle $MH = Linker.nativeLinker().downcallHandle($DESC);

        public static int invoke(MemorySegment funcPtr, MemorySegment _x0, MemorySegment _x1, long _x2, long _x3) {
            try {
                return (int) $MH.invokeExact(funcPtr, _x0, _x1, _x2, _x3);
            } catch (Error | RuntimeException ex) {
                throw ex;
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }

    private static final AddressLayout lookup$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("lookup"));

    public static final AddressLayout lookup$layout() { return lookup$LAYOUT; }

    private static final long lookup$OFFSET = $LAYOUT.byteOffset(groupElement("lookup"));

    public static final long lookup$offset() { return lookup$OFFSET; }

    public static MemorySegment lookup(MemorySegment struct) {
        return struct.get(lookup$LAYOUT, lookup$OFFSET);
    }

    public static void lookup(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(lookup$LAYOUT, lookup$OFFSET, fieldValue);
    }

    private static final AddressLayout straddr$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("straddr"));

    public static final AddressLayout straddr$layout() { return straddr$LAYOUT; }

    private static final long straddr$OFFSET = $LAYOUT.byteOffset(groupElement("straddr"));

    public static final long straddr$offset() { return straddr$OFFSET; }

    public static MemorySegment straddr(MemorySegment struct) {
        return struct.get(straddr$LAYOUT, straddr$OFFSET);
    }

    public static void straddr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(straddr$LAYOUT, straddr$OFFSET, fieldValue);
    }

    private static final AddressLayout av_set$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("av_set"));

    public static final AddressLayout av_set$layout() { return av_set$LAYOUT; }

    private static final long av_set$OFFSET = $LAYOUT.byteOffset(groupElement("av_set"));

    public static final long av_set$offset() { return av_set$OFFSET; }

    public static MemorySegment av_set(MemorySegment struct) {
        return struct.get(av_set$LAYOUT, av_set$OFFSET);
    }

    public static void av_set(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(av_set$LAYOUT, av_set$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
