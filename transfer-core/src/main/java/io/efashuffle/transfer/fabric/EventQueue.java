package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;
import io.efashuffle.transfer.fabric.ffi.fi_eq_err_entry;
import io.efashuffle.transfer.fabric.ffi.fi_ops_eq;
import io.efashuffle.transfer.fabric.ffi.fid_eq;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * fid_eq bound to the endpoint. RDM endpoints report asynchronous errors here, and EFA aborts
 * the process on an internal error when no EQ is bound.
 */
public final class EventQueue extends Fid {
    private final MemorySegment event = buffers().allocate(ValueLayout.JAVA_INT);
    private final MemorySegment buf = buffers().allocate(256, 8);
    private final MemorySegment err = fi_eq_err_entry.allocate(buffers());

    EventQueue(MemorySegment address) {
        super("eq", address);
    }

    private MemorySegment ops() {
        return fid_eq.ops(address()).reinterpret(fi_ops_eq.sizeof());
    }

    /**
     * Drains one event without blocking.
     *
     * @return null when there is none, else a description ("event N" or the error text)
     */
    public String poll() {
        long rc = fi_ops_eq.read.invoke(fi_ops_eq.read(ops()), address(), event, buf, buf.byteSize(), 0L);
        if (rc == -fabric_h.FI_EAGAIN()) {
            return null;
        }
        if (rc == -fabric_h.FI_EAVAIL()) {
            err.fill((byte) 0);
            long r = fi_ops_eq.readerr.invoke(fi_ops_eq.readerr(ops()), address(), err, 0L);
            if (r < 0) {
                return "fi_eq_readerr failed: " + Fi.strerror((int) -r);
            }
            int e = fi_eq_err_entry.err(err);
            int prov = fi_eq_err_entry.prov_errno(err);
            MemorySegment text = fi_ops_eq.strerror.invoke(fi_ops_eq.strerror(ops()), address(), prov,
                    fi_eq_err_entry.err_data(err), MemorySegment.NULL, 0L);
            return "error " + Fi.strerror(e) + " (provider: "
                    + (text.equals(MemorySegment.NULL) ? prov : text.getString(0)) + ")";
        }
        if (rc < 0) {
            return "fi_eq_read failed: " + Fi.strerror((int) -rc);
        }
        return "event " + event.get(ValueLayout.JAVA_INT, 0);
    }
}
