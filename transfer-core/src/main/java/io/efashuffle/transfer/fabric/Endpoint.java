package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;
import io.efashuffle.transfer.fabric.ffi.fi_ops_cm;
import io.efashuffle.transfer.fabric.ffi.fi_ops_ep;
import io.efashuffle.transfer.fabric.ffi.fi_ops_rma;
import io.efashuffle.transfer.fabric.ffi.fid_ep;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** fid_ep of type FI_EP_RDM: one per process per NIC; all peers reach it through the AV. */
public final class Endpoint extends Fid {
    private final MemorySegment readFn;
    private final MemorySegment writeFn;

    Endpoint(MemorySegment address) {
        super("ep", address);
        MemorySegment rma = fid_ep.rma(self).reinterpret(fi_ops_rma.sizeof());
        readFn = fi_ops_rma.read(rma);
        writeFn = fi_ops_rma.write(rma);
    }

    public void bindCompletionQueue(CompletionQueue cq) {
        bind(cq, fabric_h.FI_TRANSMIT() | fabric_h.FI_RECV(), "fi_ep_bind(cq)");
    }

    public void bindAddressVector(AddressVector av) {
        bind(av, 0, "fi_ep_bind(av)");
    }

    public void bindEventQueue(EventQueue eq) {
        bind(eq, 0, "fi_ep_bind(eq)");
    }

    public void enable() {
        Fi.check(SignalGuard.call("fi_enable", () -> control(fabric_h.FI_ENABLE(), MemorySegment.NULL)), "fi_enable");
    }

    /** fi_getname: this endpoint's address, which peers insert into their AVs. */
    public byte[] name() {
        MemorySegment cm = fid_ep.cm(address()).reinterpret(fi_ops_cm.sizeof());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_LONG, 256);
            MemorySegment buf = arena.allocate(256);
            Fi.check(fi_ops_cm.getname.invoke(fi_ops_cm.getname(cm), address(), buf, len), "fi_getname");
            return buf.asSlice(0, len.get(ValueLayout.JAVA_LONG, 0)).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /**
     * fi_getopt for a boolean option (e.g. EFA's FI_OPT_EFA_EMULATED_READ).
     *
     * @return null when the provider does not know the option
     */
    public Boolean booleanOption(int level, int option) {
        MemorySegment ops = fid_ep.ops(address()).reinterpret(fi_ops_ep.sizeof());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment val = arena.allocate(ValueLayout.JAVA_BYTE);
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_LONG, 1);
            int rc = fi_ops_ep.getopt.invoke(fi_ops_ep.getopt(ops), address(), level, option, val, len);
            return rc == 0 ? val.get(ValueLayout.JAVA_BYTE, 0) != 0 : null;
        }
    }

    /** fi_read: returns 0 or -errno (-FI_EAGAIN means no credit now). */
    public long read(long localAddress, long length, MemorySegment desc, long peer, long remoteAddress,
                     long key, MemorySegment context) {
        return fi_ops_rma.read.invoke(readFn, self, MemorySegment.ofAddress(localAddress), length, desc, peer,
                remoteAddress, key, context);
    }

    /** fi_write: returns 0 or -errno (-FI_EAGAIN means no credit now). */
    public long write(long localAddress, long length, MemorySegment desc, long peer, long remoteAddress,
                      long key, MemorySegment context) {
        return fi_ops_rma.write.invoke(writeFn, self, MemorySegment.ofAddress(localAddress), length, desc, peer,
                remoteAddress, key, context);
    }
}
