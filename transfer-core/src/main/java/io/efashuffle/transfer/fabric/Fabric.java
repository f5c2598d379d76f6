package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;
import io.efashuffle.transfer.fabric.ffi.fi_eq_attr;
import io.efashuffle.transfer.fabric.ffi.fi_info;
import io.efashuffle.transfer.fabric.ffi.fi_ops_fabric;
import io.efashuffle.transfer.fabric.ffi.fid_fabric;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** fid_fabric: opened from an fi_info entry; opens domains and event queues. */
public final class Fabric extends Fid {
    private Fabric(MemorySegment address) {
        super("fabric", address);
    }

    public static Fabric open(MemorySegment info) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Fi.check(SignalGuard.call("fi_fabric",
                    () -> fabric_h.fi_fabric(fi_info.fabric_attr(info), out, MemorySegment.NULL)), "fi_fabric");
            return new Fabric(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    private MemorySegment ops() {
        return fid_fabric.ops(address()).reinterpret(fi_ops_fabric.sizeof());
    }

    public Domain openDomain(MemorySegment info) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Fi.check(SignalGuard.call("fi_domain", () -> fi_ops_fabric.domain.invoke(fi_ops_fabric.domain(ops()),
                    address(), info, out, MemorySegment.NULL)), "fi_domain");
            return new Domain(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /** An event queue without a wait object: it is polled by the progress thread. */
    public EventQueue openEventQueue(int size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = fi_eq_attr.allocate(arena).fill((byte) 0);
            fi_eq_attr.size(attr, size);
            fi_eq_attr.wait_obj(attr, fabric_h.FI_WAIT_NONE());
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Fi.check(SignalGuard.call("fi_eq_open", () -> fi_ops_fabric.eq_open.invoke(fi_ops_fabric.eq_open(ops()),
                    address(), attr, out, MemorySegment.NULL)), "fi_eq_open");
            return new EventQueue(out.get(ValueLayout.ADDRESS, 0));
        }
    }
}
