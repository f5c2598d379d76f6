// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.function.*;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct fi_domain_attr { domain; name; threading; control_progress; data_progress; resource_mgmt; av_type; mr_mode; mr_key_size; cq_data_size; cq_cnt; ep_cnt; tx_ctx_cnt; rx_ctx_cnt; max_ep_tx_ctx; max_ep_rx_ctx; max_ep_stx_ctx; max_ep_srx_ctx; cntr_cnt; mr_iov_limit; caps; mode; auth_key; auth_key_size; max_err_data; mr_cnt; tclass; }
 * }
 */
public class fi_domain_attr {

    fi_domain_attr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        fabric_h.C_POINTER.withName("domain"),
        fabric_h.C_POINTER.withName("name"),
        fabric_h.C_INT.withName("threading"),
        fabric_h.C_INT.withName("control_progress"),
        fabric_h.C_INT.withName("data_progress"),
        fabric_h.C_INT.withName("resource_mgmt"),
        fabric_h.C_INT.withName("av_type"),
        fabric_h.C_INT.withName("mr_mode"),
        fabric_h.C_LONG.withName("mr_key_size"),
        fabric_h.C_LONG.withName("cq_data_size"),
        fabric_h.C_LONG.withName("cq_cnt"),
        fabric_h.C_LONG.withName("ep_cnt"),
        fabric_h.C_LONG.withName("tx_ctx_cnt"),
        fabric_h.C_LONG.withName("rx_ctx_cnt"),
        fabric_h.C_LONG.withName("max_ep_tx_ctx"),
        fabric_h.C_LONG.withName("max_ep_rx_ctx"),
        fabric_h.C_LONG.withName("max_ep_stx_ctx"),
        fabric_h.C_LONG.withName("max_ep_srx_ctx"),
        fabric_h.C_LONG.withName("cntr_cnt"),
        fabric_h.C_LONG.withName("mr_iov_limit"),
        fabric_h.C_LONG.withName("caps"),
        fabric_h.C_LONG.withName("mode"),
        fabric_h.C_POINTER.withName("auth_key"),
        fabric_h.C_LONG.withName("auth_key_size"),
        fabric_h.C_LONG.withName("max_err_data"),
        fabric_h.C_LONG.withName("mr_cnt"),
        fabric_h.C_INT.withName("tclass"),
        MemoryLayout.paddingLayout(4)
    ).withName("fi_domain_attr");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
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

    private static final ValueLayout.OfInt threading$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("threading"));

    public static final ValueLayout.OfInt threading$layout() { return threading$LAYOUT; }

    private static final long threading$OFFSET = $LAYOUT.byteOffset(groupElement("threading"));

    public static final long threading$offset() { return threading$OFFSET; }

    public static int threading(MemorySegment struct) {
        return struct.get(threading$LAYOUT, threading$OFFSET);
    }

    public static void threading(MemorySegment struct, int fieldValue) {
        struct.set(threading$LAYOUT, threading$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt control_progress$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("control_progress"));

    public static final ValueLayout.OfInt control_progress$layout() { return control_progress$LAYOUT; }

    private static final long control_progress$OFFSET = $LAYOUT.byteOffset(groupElement("control_progress"));

    public static final long control_progress$offset() { return control_progress$OFFSET; }

    public static int control_progress(MemorySegment struct) {
        return struct.get(control_progress$LAYOUT, control_progress$OFFSET);
    }

    public static void control_progress(MemorySegment struct, int fieldValue) {
        struct.set(control_progress$LAYOUT, control_progress$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt data_progress$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("data_progress"));

    public static final ValueLayout.OfInt data_progress$layout() { return data_progress$LAYOUT; }

    private static final long data_progress$OFFSET = $LAYOUT.byteOffset(groupElement("data_progress"));

    public static final long data_progress$offset() { return data_progress$OFFSET; }

    public static int data_progress(MemorySegment struct) {
        return struct.get(data_progress$LAYOUT, data_progress$OFFSET);
    }

    public static void data_progress(MemorySegment struct, int fieldValue) {
        struct.set(data_progress$LAYOUT, data_progress$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt resource_mgmt$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("resource_mgmt"));

    public static final ValueLayout.OfInt resource_mgmt$layout() { return resource_mgmt$LAYOUT; }

    private static final long resource_mgmt$OFFSET = $LAYOUT.byteOffset(groupElement("resource_mgmt"));

    public static final long resource_mgmt$offset() { return resource_mgmt$OFFSET; }

    public static int resource_mgmt(MemorySegment struct) {
        return struct.get(resource_mgmt$LAYOUT, resource_mgmt$OFFSET);
    }

    public static void resource_mgmt(MemorySegment struct, int fieldValue) {
        struct.set(resource_mgmt$LAYOUT, resource_mgmt$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt av_type$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("av_type"));

    public static final ValueLayout.OfInt av_type$layout() { return av_type$LAYOUT; }

    private static final long av_type$OFFSET = $LAYOUT.byteOffset(groupElement("av_type"));

    public static final long av_type$offset() { return av_type$OFFSET; }

    public static int av_type(MemorySegment struct) {
        return struct.get(av_type$LAYOUT, av_type$OFFSET);
    }

    public static void av_type(MemorySegment struct, int fieldValue) {
        struct.set(av_type$LAYOUT, av_type$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt mr_mode$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("mr_mode"));

    public static final ValueLayout.OfInt mr_mode$layout() { return mr_mode$LAYOUT; }

    private static final long mr_mode$OFFSET = $LAYOUT.byteOffset(groupElement("mr_mode"));

    public static final long mr_mode$offset() { return mr_mode$OFFSET; }

    public static int mr_mode(MemorySegment struct) {
        return struct.get(mr_mode$LAYOUT, mr_mode$OFFSET);
    }

    public static void mr_mode(MemorySegment struct, int fieldValue) {
        struct.set(mr_mode$LAYOUT, mr_mode$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mr_key_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("mr_key_size"));

    public static final ValueLayout.OfLong mr_key_size$layout() { return mr_key_size$LAYOUT; }

    private static final long mr_key_size$OFFSET = $LAYOUT.byteOffset(groupElement("mr_key_size"));

    public static final long mr_key_size$offset() { return mr_key_size$OFFSET; }

    public static long mr_key_size(MemorySegment struct) {
        return struct.get(mr_key_size$LAYOUT, mr_key_size$OFFSET);
    }

    public static void mr_key_size(MemorySegment struct, long fieldValue) {
        struct.set(mr_key_size$LAYOUT, mr_key_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong cq_data_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("cq_data_size"));

    public static final ValueLayout.OfLong cq_data_size$layout() { return cq_data_size$LAYOUT; }

    private static final long cq_data_size$OFFSET = $LAYOUT.byteOffset(groupElement("cq_data_size"));

    public static final long cq_data_size$offset() { return cq_data_size$OFFSET; }

    public static long cq_data_size(MemorySegment struct) {
        return struct.get(cq_data_size$LAYOUT, cq_data_size$OFFSET);
    }

    public static void cq_data_size(MemorySegment struct, long fieldValue) {
        struct.set(cq_data_size$LAYOUT, cq_data_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong cq_cnt$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("cq_cnt"));

    public static final ValueLayout.OfLong cq_cnt$layout() { return cq_cnt$LAYOUT; }

    private static final long cq_cnt$OFFSET = $LAYOUT.byteOffset(groupElement("cq_cnt"));

    public static final long cq_cnt$offset() { return cq_cnt$OFFSET; }

    public static long cq_cnt(MemorySegment struct) {
        return struct.get(cq_cnt$LAYOUT, cq_cnt$OFFSET);
    }

    public static void cq_cnt(MemorySegment struct, long fieldValue) {
        struct.set(cq_cnt$LAYOUT, cq_cnt$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong ep_cnt$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("ep_cnt"));

    public static final ValueLayout.OfLong ep_cnt$layout() { return ep_cnt$LAYOUT; }

    private static final long ep_cnt$OFFSET = $LAYOUT.byteOffset(groupElement("ep_cnt"));

    public static final long ep_cnt$offset() { return ep_cnt$OFFSET; }

    public static long ep_cnt(MemorySegment struct) {
        return struct.get(ep_cnt$LAYOUT, ep_cnt$OFFSET);
    }

    public static void ep_cnt(MemorySegment struct, long fieldValue) {
        struct.set(ep_cnt$LAYOUT, ep_cnt$OFFSET, fieldValue);
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

    private static final ValueLayout.OfLong max_ep_tx_ctx$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_ep_tx_ctx"));

    public static final ValueLayout.OfLong max_ep_tx_ctx$layout() { return max_ep_tx_ctx$LAYOUT; }

    private static final long max_ep_tx_ctx$OFFSET = $LAYOUT.byteOffset(groupElement("max_ep_tx_ctx"));

    public static final long max_ep_tx_ctx$offset() { return max_ep_tx_ctx$OFFSET; }

    public static long max_ep_tx_ctx(MemorySegment struct) {
        return struct.get(max_ep_tx_ctx$LAYOUT, max_ep_tx_ctx$OFFSET);
    }

    public static void max_ep_tx_ctx(MemorySegment struct, long fieldValue) {
        struct.set(max_ep_tx_ctx$LAYOUT, max_ep_tx_ctx$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong max_ep_rx_ctx$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_ep_rx_ctx"));

    public static final ValueLayout.OfLong max_ep_rx_ctx$layout() { return max_ep_rx_ctx$LAYOUT; }

    private static final long max_ep_rx_ctx$OFFSET = $LAYOUT.byteOffset(groupElement("max_ep_rx_ctx"));

    public static final long max_ep_rx_ctx$offset() { return max_ep_rx_ctx$OFFSET; }

    public static long max_ep_rx_ctx(MemorySegment struct) {
        return struct.get(max_ep_rx_ctx$LAYOUT, max_ep_rx_ctx$OFFSET);
    }

    public static void max_ep_rx_ctx(MemorySegment struct, long fieldValue) {
        struct.set(max_ep_rx_ctx$LAYOUT, max_ep_rx_ctx$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong max_ep_stx_ctx$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_ep_stx_ctx"));

    public static final ValueLayout.OfLong max_ep_stx_ctx$layout() { return max_ep_stx_ctx$LAYOUT; }

    private static final long max_ep_stx_ctx$OFFSET = $LAYOUT.byteOffset(groupElement("max_ep_stx_ctx"));

    public static final long max_ep_stx_ctx$offset() { return max_ep_stx_ctx$OFFSET; }

    public static long max_ep_stx_ctx(MemorySegment struct) {
        return struct.get(max_ep_stx_ctx$LAYOUT, max_ep_stx_ctx$OFFSET);
    }

    public static void max_ep_stx_ctx(MemorySegment struct, long fieldValue) {
        struct.set(max_ep_stx_ctx$LAYOUT, max_ep_stx_ctx$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong max_ep_srx_ctx$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_ep_srx_ctx"));

    public static final ValueLayout.OfLong max_ep_srx_ctx$layout() { return max_ep_srx_ctx$LAYOUT; }

    private static final long max_ep_srx_ctx$OFFSET = $LAYOUT.byteOffset(groupElement("max_ep_srx_ctx"));

    public static final long max_ep_srx_ctx$offset() { return max_ep_srx_ctx$OFFSET; }

    public static long max_ep_srx_ctx(MemorySegment struct) {
        return struct.get(max_ep_srx_ctx$LAYOUT, max_ep_srx_ctx$OFFSET);
    }

    public static void max_ep_srx_ctx(MemorySegment struct, long fieldValue) {
        struct.set(max_ep_srx_ctx$LAYOUT, max_ep_srx_ctx$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong cntr_cnt$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("cntr_cnt"));

    public static final ValueLayout.OfLong cntr_cnt$layout() { return cntr_cnt$LAYOUT; }

    private static final long cntr_cnt$OFFSET = $LAYOUT.byteOffset(groupElement("cntr_cnt"));

    public static final long cntr_cnt$offset() { return cntr_cnt$OFFSET; }

    public static long cntr_cnt(MemorySegment struct) {
        return struct.get(cntr_cnt$LAYOUT, cntr_cnt$OFFSET);
    }

    public static void cntr_cnt(MemorySegment struct, long fieldValue) {
        struct.set(cntr_cnt$LAYOUT, cntr_cnt$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mr_iov_limit$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("mr_iov_limit"));

    public static final ValueLayout.OfLong mr_iov_limit$layout() { return mr_iov_limit$LAYOUT; }

    private static final long mr_iov_limit$OFFSET = $LAYOUT.byteOffset(groupElement("mr_iov_limit"));

    public static final long mr_iov_limit$offset() { return mr_iov_limit$OFFSET; }

    public static long mr_iov_limit(MemorySegment struct) {
        return struct.get(mr_iov_limit$LAYOUT, mr_iov_limit$OFFSET);
    }

    public static void mr_iov_limit(MemorySegment struct, long fieldValue) {
        struct.set(mr_iov_limit$LAYOUT, mr_iov_limit$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong caps$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("caps"));

    public static final ValueLayout.OfLong caps$layout() { return caps$LAYOUT; }

    private static final long caps$OFFSET = $LAYOUT.byteOffset(groupElement("caps"));

    public static final long caps$offset() { return caps$OFFSET; }

    public static long caps(MemorySegment struct) {
        return struct.get(caps$LAYOUT, caps$OFFSET);
    }

    public static void caps(MemorySegment struct, long fieldValue) {
        struct.set(caps$LAYOUT, caps$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mode$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("mode"));

    public static final ValueLayout.OfLong mode$layout() { return mode$LAYOUT; }

    private static final long mode$OFFSET = $LAYOUT.byteOffset(groupElement("mode"));

    public static final long mode$offset() { return mode$OFFSET; }

    public static long mode(MemorySegment struct) {
        return struct.get(mode$LAYOUT, mode$OFFSET);
    }

    public static void mode(MemorySegment struct, long fieldValue) {
        struct.set(mode$LAYOUT, mode$OFFSET, fieldValue);
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

    private static final ValueLayout.OfLong max_err_data$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("max_err_data"));

    public static final ValueLayout.OfLong max_err_data$layout() { return max_err_data$LAYOUT; }

    private static final long max_err_data$OFFSET = $LAYOUT.byteOffset(groupElement("max_err_data"));

    public static final long max_err_data$offset() { return max_err_data$OFFSET; }

    public static long max_err_data(MemorySegment struct) {
        return struct.get(max_err_data$LAYOUT, max_err_data$OFFSET);
    }

    public static void max_err_data(MemorySegment struct, long fieldValue) {
        struct.set(max_err_data$LAYOUT, max_err_data$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mr_cnt$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("mr_cnt"));

    public static final ValueLayout.OfLong mr_cnt$layout() { return mr_cnt$LAYOUT; }

    private static final long mr_cnt$OFFSET = $LAYOUT.byteOffset(groupElement("mr_cnt"));

    public static final long mr_cnt$offset() { return mr_cnt$OFFSET; }

    public static long mr_cnt(MemorySegment struct) {
        return struct.get(mr_cnt$LAYOUT, mr_cnt$OFFSET);
    }

    public static void mr_cnt(MemorySegment struct, long fieldValue) {
        struct.set(mr_cnt$LAYOUT, mr_cnt$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt tclass$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("tclass"));

    public static final ValueLayout.OfInt tclass$layout() { return tclass$LAYOUT; }

    private static final long tclass$OFFSET = $LAYOUT.byteOffset(groupElement("tclass"));

    public static final long tclass$offset() { return tclass$OFFSET; }

    public static int tclass(MemorySegment struct) {
        return struct.get(tclass$LAYOUT, tclass$OFFSET);
    }

    public static void tclass(MemorySegment struct, int fieldValue) {
        struct.set(tclass$LAYOUT, tclass$OFFSET, fieldValue);
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }

    public static long sizeof() { return layout().byteSize(); }
}
