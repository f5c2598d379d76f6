package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;
import io.efashuffle.transfer.fabric.ffi.fid_mr;

import java.lang.foreign.MemorySegment;

/** fid_mr: registered memory; its key goes to peers, its descriptor into local operations. */
public final class MemoryRegion extends Fid {
    MemoryRegion(MemorySegment address) {
        super("mr", address);
    }

    /** fi_mr_key: the key a peer uses to reach this region. */
    public long key() {
        return fid_mr.key(address());
    }

    /** fi_mr_desc: the descriptor passed with local buffers under FI_MR_LOCAL. */
    public MemorySegment descriptor() {
        return fid_mr.mem_desc(address());
    }

    /** fi_mr_bind + fi_mr_enable, required under FI_MR_ENDPOINT. */
    public void bindAndEnable(Endpoint endpoint) {
        bind(endpoint, 0, "fi_mr_bind");
        Fi.check(control(fabric_h.FI_ENABLE(), MemorySegment.NULL), "fi_mr_enable");
    }
}
