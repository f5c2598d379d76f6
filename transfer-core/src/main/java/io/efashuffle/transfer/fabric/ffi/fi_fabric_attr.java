// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_fabric_attr { fabric; name; prov_name; prov_version; api_version; }
 * }
 */
public class fi_fabric_attr {

    fi_fabric_attr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_POINTER.withName("fabric"),
        fabric_h.C_POINTER.withName("name"),
        fabric_h.C_POINTER.withName("prov_name"),
        fabric_h.C_INT.withName("prov_version"),
        fabric_h.C_INT.withName("api_version")
    ).withName("fi_fabric_attr");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout fabric$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("fabric"));

    public static final AddressLayout fabric$layout() { return fabric$LAYOUT; }

    private static final long fabric$OFFSET = $LAYOUT.byteOffset(groupElement("fabric"));

    public static final long fabric$offset() { return fabric$OFFSET; }

    public static MemorySegment fabric(MemorySegment struct) {
        return struct.get(fabric$LAYOUT, fabric$OFFSET);
    }

    public static void fabric(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(fabric$LAYOUT, fabric$OFFSET, fieldValue);
    }

    private static final AddressLayout name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("name"));

    public static final AddressLayout name$layout() { return name$LAYOUT; }

    private static final long name$OFFSET = $LAYOUT.byteOffset(groupElement("name"));

    public static final long name$offset() { return name$OFFSET; }

    public static MemorySegment name(MemorySegment struct) {
        return struct.get(name$LAYOUT, name$OFFSET);
    }

    public static void name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(name$LAYOUT, name$OFFSET, fieldValue);
    }

    private static final AddressLayout prov_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("prov_name"));

    public static final AddressLayout prov_name$layout() { return prov_name$LAYOUT; }

    private static final long prov_name$OFFSET = $LAYOUT.byteOffset(groupElement("prov_name"));

    public static final long prov_name$offset() { return prov_name$OFFSET; }

    public static MemorySegment prov_name(MemorySegment struct) {
        return struct.get(prov_name$LAYOUT, prov_name$OFFSET);
    }

    public static void prov_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(prov_name$LAYOUT, prov_name$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt prov_version$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("prov_version"));

    public static final ValueLayout.OfInt prov_version$layout() { return prov_version$LAYOUT; }

    private static final long prov_version$OFFSET = $LAYOUT.byteOffset(groupElement("prov_version"));

    public static final long prov_version$offset() { return prov_version$OFFSET; }

    public static int prov_version(MemorySegment struct) {
        return struct.get(prov_version$LAYOUT, prov_version$OFFSET);
    }

    public static void prov_version(MemorySegment struct, int fieldValue) {
        struct.set(prov_version$LAYOUT, prov_version$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt api_version$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("api_version"));

    public static final ValueLayout.OfInt api_version$layout() { return api_version$LAYOUT; }

    private static final long api_version$OFFSET = $LAYOUT.byteOffset(groupElement("api_version"));

    public static final long api_version$offset() { return api_version$OFFSET; }

    public static int api_version(MemorySegment struct) {
        return struct.get(api_version$LAYOUT, api_version$OFFSET);
    }

    public static void api_version(MemorySegment struct, int fieldValue) {
        struct.set(api_version$LAYOUT, api_version$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
