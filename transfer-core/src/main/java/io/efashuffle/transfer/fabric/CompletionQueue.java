package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fi_cq_err_entry;
import io.efashuffle.transfer.fabric.ffi.fi_ops_cq;
import io.efashuffle.transfer.fabric.ffi.fid_cq;

import java.lang.foreign.MemorySegment;

/**
 * fid_cq in FI_CQ_FORMAT_CONTEXT. Reading it also drives the provider's progress, which is how
 * software providers (tcp;ofi_rxm, shm) serve peers' reads of this process's memory.
 */
public final class CompletionQueue extends Fid {
    /** One failed operation as fi_cq_readerr reported it. */
    public record CompletionError(long opContext, int errno, int providerErrno, String text) {}

    private final boolean waitable;
    private final MemorySegment errEntry = fi_cq_err_entry.allocate(buffers());
    // The ops table does not change during the object's life: resolve the hot entries once.
    private final MemorySegment readFn;
    private final MemorySegment readErrFn;
    private final MemorySegment sreadFn;
    private final MemorySegment signalFn;
    private final MemorySegment strerrorFn;

    CompletionQueue(MemorySegment address, boolean waitable) {
        super("cq", address);
        this.waitable = waitable;
        MemorySegment ops = fid_cq.ops(self).reinterpret(fi_ops_cq.sizeof());
        readFn = fi_ops_cq.read(ops);
        readErrFn = fi_ops_cq.readerr(ops);
        sreadFn = fi_ops_cq.sread(ops);
        signalFn = fi_ops_cq.signal(ops);
        strerrorFn = fi_ops_cq.strerror(ops);
    }

    /** Whether the CQ has a wait object, so {@link #sread} and {@link #signal} work. */
    public boolean waitable() {
        return waitable;
    }

    /** fi_cq_read into {@code entries} (8-byte op_context each); returns count or -errno. */
    public long read(MemorySegment entries, long count) {
        return fi_ops_cq.read.invoke(readFn, self, entries, count);
    }

    /** fi_cq_sread: blocks up to timeoutMillis for a completion; returns count or -errno. */
    public long sread(MemorySegment entries, long count, int timeoutMillis) {
        return fi_ops_cq.sread.invoke(sreadFn, self, entries, count, MemorySegment.NULL, timeoutMillis);
    }

    /** fi_cq_signal: wakes a thread blocked in {@link #sread}. Safe from any thread. */
    public void signal() {
        fi_ops_cq.signal.invoke(signalFn, self);
    }

    /** fi_cq_readerr after fi_cq_read returned -FI_EAVAIL; null if there was none after all. */
    public CompletionError readError() {
        errEntry.fill((byte) 0); // err_data_size 0: the provider lends its own buffer (API >= 1.5)
        long rc = fi_ops_cq.readerr.invoke(readErrFn, self, errEntry, 0L);
        if (rc <= 0) {
            return null;
        }
        int errno = fi_cq_err_entry.err(errEntry);
        int prov = fi_cq_err_entry.prov_errno(errEntry);
        MemorySegment text = fi_ops_cq.strerror.invoke(strerrorFn, self, prov,
                fi_cq_err_entry.err_data(errEntry), MemorySegment.NULL, 0L);
        String providerText = text.equals(MemorySegment.NULL) ? "" : text.getString(0);
        return new CompletionError(fi_cq_err_entry.op_context(errEntry).address(), errno, prov,
                Fi.strerror(errno) + (providerText.isEmpty() ? "" : " (provider: " + providerText + ")"));
    }
}
