package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fi_ops_av;
import io.efashuffle.transfer.fabric.ffi.fid_av;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** fid_av (FI_AV_TABLE): maps peers' endpoint names to fi_addr_t slots. */
public final class AddressVector extends Fid {
    AddressVector(MemorySegment address) {
        super("av", address);
    }

    private MemorySegment ops() {
        return fid_av.ops(address()).reinterpret(fi_ops_av.sizeof());
    }

    /** fi_av_insert of one endpoint name; returns its fi_addr_t. */
    public long insert(byte[] endpointName) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(endpointName.length);
            name.copyFrom(MemorySegment.ofArray(endpointName));
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            int n = SignalGuard.call("fi_av_insert", () -> fi_ops_av.insert.invoke(fi_ops_av.insert(ops()),
                    address(), name, 1L, out, 0L, MemorySegment.NULL));
            if (n != 1) {
                Fi.check(n < 0 ? n : -io.efashuffle.transfer.fabric.ffi.fabric_h.FI_EINVAL(), "fi_av_insert");
            }
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** fi_av_remove: the provider drops its connection state and fails what is still in flight. */
    public void remove(long fiAddr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_LONG, fiAddr);
            Fi.check(fi_ops_av.remove.invoke(fi_ops_av.remove(ops()), address(), a, 1L, 0L), "fi_av_remove");
        }
    }
}
