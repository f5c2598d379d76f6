// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_ep_attr { type; protocol; protocol_version; max_msg_size; msg_prefix_size; max_order_raw_size; max_order_war_size; max_order_waw_size; mem_tag_format; tx_ctx_cnt; rx_ctx_cnt; auth_key_size; auth_key; }
 * }
 */
public class fi_ep_attr {

    fi_ep_attr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_INT.withName("type"),
        fabric_h.C_INT.withName("protocol"),
        fabric_h.C_INT.withName("protocol_version"),
        MemoryLayout.paddingLayout(4),
        fabric_h.C_LONG.withName("max_msg_size"),
        fabric_h.C_LONG.withName("msg_prefix_size"),
        fabric_h.C_LONG.withName("max_order_raw_size"),
        fabric_h.C_LONG.withName("max_order_war_size"),
        fabric_h.C_LONG.withName("max_order_waw_size"),
        fabric_h.C_LONG.withName("mem_tag_format"),
        fabric_h.C_LONG.withName("tx_ctx_cnt"),
        fabric_h.C_LONG.withName("rx_ctx_cnt"),
        fabric_h.C_LONG.withName("auth_key_size"),
        fabric_h.C_POINTER.withName("auth_key")
    ).withName("fi_ep_attr");

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

    private static final ValueLayout.OfInt protocol$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("protocol"));

    public static final ValueLayout.OfInt protocol$layout() { return protocol$LAYOUT; }

    private static final long protocol$OFFSET = $LAYOUT.byteOffset(groupElement("protocol"));

    public static final long protocol$offset() { return protocol$OFFSET; }

    public static int protocol(MemorySegment struct) {
        return struct.get(protocol$LAYOUT, protocol$OFFSET);
    }

    public static void protocol(MemorySegment struct, int fieldValue) {
        struct.set(protocol$LAYOUT, protocol$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt protocol_version$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("protocol_version"));

    public static final ValueLayout.OfInt protocol_version$layout() { return protocol_version$LAYOUT; }

    private static final long protocol_version$OFFSET = $LAYOUT.byteOffset(groupElement("protocol_version"));

    public static final long protocol_version$offset() { return protocol_version$OFFSET; }

    public static int protocol_version(MemorySegment struct) {
        return struct.get(protocol_version$LAYOUT, protocol_version$OFFSET);
    }

    public static void protocol_version(MemorySegment struct, int fieldValue) {
        struct.set(protocol_version$LAYOUT, protocol_version$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong max_msg_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_msg_size"));

    public static final ValueLayout.OfLong max_msg_size$layout() { return max_msg_size$LAYOUT; }

    private static final long max_msg_size$OFFSET = $LAYOUT.byteOffset(groupElement("max_msg_size"));

    public static final long max_msg_size$offset() { return max_msg_size$OFFSET; }

    public static long max_msg_size(MemorySegment struct) {
        return struct.get(max_msg_size$LAYOUT, max_msg_size$OFFSET);
    }

    public static void max_msg_size(MemorySegment struct, long fieldValue) {
        struct.set(max_msg_size$LAYOUT, max_msg_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong msg_prefix_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("msg_prefix_size"));

    public static final ValueLayout.OfLong msg_prefix_size$layout() { return msg_prefix_size$LAYOUT; }

    private static final long msg_prefix_size$OFFSET = $LAYOUT.byteOffset(groupElement("msg_prefix_size"));

    public static final long msg_prefix_size$offset() { return msg_prefix_size$OFFSET; }

    public static long msg_prefix_size(MemorySegment struct) {
        return struct.get(msg_prefix_size$LAYOUT, msg_prefix_size$OFFSET);
    }

    public static void msg_prefix_size(MemorySegment struct, long fieldValue) {
        struct.set(msg_prefix_size$LAYOUT, msg_prefix_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong max_order_raw_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_order_raw_size"));

    public static final ValueLayout.OfLong max_order_raw_size$layout() { return max_order_raw_size$LAYOUT; }

    private static final long max_order_raw_size$OFFSET = $LAYOUT.byteOffset(groupElement("max_order_raw_size"));

    public static final long max_order_raw_size$offset() { return max_order_raw_size$OFFSET; }

    public static long max_order_raw_size(MemorySegment struct) {
        return struct.get(max_order_raw_size$LAYOUT, max_order_raw_size$OFFSET);
    }

    public static void max_order_raw_size(MemorySegment struct, long fieldValue) {
        struct.set(max_order_raw_size$LAYOUT, max_order_raw_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong max_order_war_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_order_war_size"));

    public static final ValueLayout.OfLong max_order_war_size$layout() { return max_order_war_size$LAYOUT; }

    private static final long max_order_war_size$OFFSET = $LAYOUT.byteOffset(groupElement("max_order_war_size"));

    public static final long max_order_war_size$offset() { return max_order_war_size$OFFSET; }

    public static long max_order_war_size(MemorySegment struct) {
        return struct.get(max_order_war_size$LAYOUT, max_order_war_size$OFFSET);
    }

    public static void max_order_war_size(MemorySegment struct, long fieldValue) {
        struct.set(max_order_war_size$LAYOUT, max_order_war_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong max_order_waw_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_order_waw_size"));

    public static final ValueLayout.OfLong max_order_waw_size$layout() { return max_order_waw_size$LAYOUT; }

    private static final long max_order_waw_size$OFFSET = $LAYOUT.byteOffset(groupElement("max_order_waw_size"));

    public static final long max_order_waw_size$offset() { return max_order_waw_size$OFFSET; }

    public static long max_order_waw_size(MemorySegment struct) {
        return struct.get(max_order_waw_size$LAYOUT, max_order_waw_size$OFFSET);
    }

    public static void max_order_waw_size(MemorySegment struct, long fieldValue) {
        struct.set(max_order_waw_size$LAYOUT, max_order_waw_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mem_tag_format$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("mem_tag_format"));

    public static final ValueLayout.OfLong mem_tag_format$layout() { return mem_tag_format$LAYOUT; }

    private static final long mem_tag_format$OFFSET = $LAYOUT.byteOffset(groupElement("mem_tag_format"));

    public static final long mem_tag_format$offset() { return mem_tag_format$OFFSET; }

    public static long mem_tag_format(MemorySegment struct) {
        return struct.get(mem_tag_format$LAYOUT, mem_tag_format$OFFSET);
    }

    public static void mem_tag_format(MemorySegment struct, long fieldValue) {
        struct.set(mem_tag_format$LAYOUT, mem_tag_format$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong tx_ctx_cnt$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("tx_ctx_cnt"));

    public static final ValueLayout.OfLong tx_ctx_cnt$layout() { return tx_ctx_cnt$LAYOUT; }

    private static final long tx_ctx_cnt$OFFSET = $LAYOUT.byteOffset(groupElement("tx_ctx_cnt"));

    public static final long tx_ctx_cnt$offset() { return tx_ctx_cnt$OFFSET; }

    public static long tx_ctx_cnt(MemorySegment struct) {
        return struct.get(tx_ctx_cnt$LAYOUT, tx_ctx_cnt$OFFSET);
    }

    public static void tx_ctx_cnt(MemorySegment struct, long fieldValue) {
        struct.set(tx_ctx_cnt$LAYOUT, tx_ctx_cnt$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rx_ctx_cnt$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("rx_ctx_cnt"));

    public static final ValueLayout.OfLong rx_ctx_cnt$layout() { return rx_ctx_cnt$LAYOUT; }

    private static final long rx_ctx_cnt$OFFSET = $LAYOUT.byteOffset(groupElement("rx_ctx_cnt"));

    public static final long rx_ctx_cnt$offset() { return rx_ctx_cnt$OFFSET; }

    public static long rx_ctx_cnt(MemorySegment struct) {
        return struct.get(rx_ctx_cnt$LAYOUT, rx_ctx_cnt$OFFSET);
    }

    public static void rx_ctx_cnt(MemorySegment struct, long fieldValue) {
        struct.set(rx_ctx_cnt$LAYOUT, rx_ctx_cnt$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong auth_key_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("auth_key_size"));

    public static final ValueLayout.OfLong auth_key_size$layout() { return auth_key_size$LAYOUT; }

    private static final long auth_key_size$OFFSET = $LAYOUT.byteOffset(groupElement("auth_key_size"));

    public static final long auth_key_size$offset() { return auth_key_size$OFFSET; }

    public static long auth_key_size(MemorySegment struct) {
        return struct.get(auth_key_size$LAYOUT, auth_key_size$OFFSET);
    }

    public static void auth_key_size(MemorySegment struct, long fieldValue) {
        struct.set(auth_key_size$LAYOUT, auth_key_size$OFFSET, fieldValue);
    }

    private static final AddressLayout auth_key$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("auth_key"));

    public static final AddressLayout auth_key$layout() { return auth_key$LAYOUT; }

    private static final long auth_key$OFFSET = $LAYOUT.byteOffset(groupElement("auth_key"));

    public static final long auth_key$offset() { return auth_key$OFFSET; }

    public static MemorySegment auth_key(MemorySegment struct) {
        return struct.get(auth_key$LAYOUT, auth_key$OFFSET);
    }

    public static void auth_key(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(auth_key$LAYOUT, auth_key$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
