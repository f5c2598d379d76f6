package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;
import io.efashuffle.transfer.fabric.ffi.fi_av_attr;
import io.efashuffle.transfer.fabric.ffi.fi_cq_attr;
import io.efashuffle.transfer.fabric.ffi.fi_ops_domain;
import io.efashuffle.transfer.fabric.ffi.fi_ops_mr;
import io.efashuffle.transfer.fabric.ffi.fid_domain;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** fid_domain: one NIC. Opens the endpoint, its queues and address vector, and registers memory. */
public final class Domain extends Fid {
    Domain(MemorySegment address) {
        super("domain", address);
    }

    private MemorySegment ops() {
        return fid_domain.ops(address()).reinterpret(fi_ops_domain.sizeof());
    }

    public Endpoint openEndpoint(MemorySegment info) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            // shm installs its signal handlers here (also inside efa's fi_endpoint, for same-host peers).
            Fi.check(SignalGuard.call("fi_endpoint", () -> fi_ops_domain.endpoint.invoke(
                    fi_ops_domain.endpoint(ops()), address(), info, out, MemorySegment.NULL)), "fi_endpoint");
            return new Endpoint(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /**
     * A context-format CQ.
     *
     * @param waitObject FI_WAIT_UNSPEC to allow fi_cq_sread, FI_WAIT_NONE for poll only
     */
    public CompletionQueue openCompletionQueue(long size, int waitObject) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = fi_cq_attr.allocate(arena).fill((byte) 0);
            fi_cq_attr.size(attr, size);
            fi_cq_attr.format(attr, fabric_h.FI_CQ_FORMAT_CONTEXT());
            fi_cq_attr.wait_obj(attr, waitObject);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Fi.check(SignalGuard.call("fi_cq_open", () -> fi_ops_domain.cq_open.invoke(
                    fi_ops_domain.cq_open(ops()), address(), attr, out, MemorySegment.NULL)), "fi_cq_open");
            return new CompletionQueue(out.get(ValueLayout.ADDRESS, 0), waitObject != fabric_h.FI_WAIT_NONE());
        }
    }

    /** An FI_AV_TABLE address vector: peers are small consecutive indices. */
    public AddressVector openAddressVector(long count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = fi_av_attr.allocate(arena).fill((byte) 0);
            fi_av_attr.type(attr, fabric_h.FI_AV_TABLE());
            fi_av_attr.count(attr, count);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Fi.check(SignalGuard.call("fi_av_open", () -> fi_ops_domain.av_open.invoke(
                    fi_ops_domain.av_open(ops()), address(), attr, out, MemorySegment.NULL)), "fi_av_open");
            return new AddressVector(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /**
     * fi_mr_reg.
     *
     * @param requestedKey the key to use when the provider does not choose keys (no FI_MR_PROV_KEY)
     */
    public MemoryRegion register(MemorySegment buffer, long access, long requestedKey) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mrOps = fid_domain.mr(address()).reinterpret(fi_ops_mr.sizeof());
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Fi.check(fi_ops_mr.reg.invoke(fi_ops_mr.reg(mrOps), address(), buffer, buffer.byteSize(), access,
                    0L, requestedKey, 0L, out, MemorySegment.NULL), "fi_mr_reg(" + buffer.byteSize() + " bytes)");
            return new MemoryRegion(out.get(ValueLayout.ADDRESS, 0));
        }
    }
}
