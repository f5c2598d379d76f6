// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_av_attr { type; rx_ctx_bits; count; ep_per_node; name; map_addr; flags; }
 * }
 */
public class fi_av_attr {

    fi_av_attr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_INT.withName("type"),
        fabric_h.C_INT.withName("rx_ctx_bits"),
        fabric_h.C_LONG.withName("count"),
        fabric_h.C_LONG.withName("ep_per_node"),
        fabric_h.C_POINTER.withName("name"),
        fabric_h.C_POINTER.withName("map_addr"),
        fabric_h.C_LONG.withName("flags")
    ).withName("fi_av_attr");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt type$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("type"));

    public static final ValueLayout.OfInt type$layout() { return type$LAYOUT; }

    private static final long type$OFFSET = $LAYOUT.byteOffset(groupElement("type"));

    public static final long type$offset() { return type$OFFSET; }

    public static int type(MemorySegment struct) {
        return struct.get(type$LAYOUT, type$OFFSET);
    }

    public static void type(MemorySegment struct, int fieldValue) {
        struct.set(type$LAYOUT, type$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt rx_ctx_bits$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("rx_ctx_bits"));

    public static final ValueLayout.OfInt rx_ctx_bits$layout() { return rx_ctx_bits$LAYOUT; }

    private static final long rx_ctx_bits$OFFSET = $LAYOUT.byteOffset(groupElement("rx_ctx_bits"));

    public static final long rx_ctx_bits$offset() { return rx_ctx_bits$OFFSET; }

    public static int rx_ctx_bits(MemorySegment struct) {
        return struct.get(rx_ctx_bits$LAYOUT, rx_ctx_bits$OFFSET);
    }

    public static void rx_ctx_bits(MemorySegment struct, int fieldValue) {
        struct.set(rx_ctx_bits$LAYOUT, rx_ctx_bits$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong count$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("count"));

    public static final ValueLayout.OfLong count$layout() { return count$LAYOUT; }

    private static final long count$OFFSET = $LAYOUT.byteOffset(groupElement("count"));

    public static final long count$offset() { return count$OFFSET; }

    public static long count(MemorySegment struct) {
        return struct.get(count$LAYOUT, count$OFFSET);
    }

    public static void count(MemorySegment struct, long fieldValue) {
        struct.set(count$LAYOUT, count$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong ep_per_node$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("ep_per_node"));

    public static final ValueLayout.OfLong ep_per_node$layout() { return ep_per_node$LAYOUT; }

    private static final long ep_per_node$OFFSET = $LAYOUT.byteOffset(groupElement("ep_per_node"));

    public static final long ep_per_node$offset() { return ep_per_node$OFFSET; }

    public static long ep_per_node(MemorySegment struct) {
        return struct.get(ep_per_node$LAYOUT, ep_per_node$OFFSET);
    }

    public static void ep_per_node(MemorySegment struct, long fieldValue) {
        struct.set(ep_per_node$LAYOUT, ep_per_node$OFFSET, fieldValue);
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

    private static final AddressLayout map_addr$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("map_addr"));

    public static final AddressLayout map_addr$layout() { return map_addr$LAYOUT; }

    private static final long map_addr$OFFSET = $LAYOUT.byteOffset(groupElement("map_addr"));

    public static final long map_addr$offset() { return map_addr$OFFSET; }

    public static MemorySegment map_addr(MemorySegment struct) {
        return struct.get(map_addr$LAYOUT, map_addr$OFFSET);
    }

    public static void map_addr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(map_addr$LAYOUT, map_addr$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong flags$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("flags"));

    public static final ValueLayout.OfLong flags$layout() { return flags$LAYOUT; }

    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    public static final long flags$offset() { return flags$OFFSET; }

    public static long flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    public static void flags(MemorySegment struct, long fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
