package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fi_ops;
import io.efashuffle.transfer.fabric.ffi.fid;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/** A libfabric object ({@code struct fid}) owned by Java: closed exactly once with fi_close. */
public abstract class Fid implements AutoCloseable {
    private final String kind;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The object's struct; every fid_* struct begins with struct fid and is well under 256 bytes. */
    protected final MemorySegment self;
    private Arena buffers; // created on first use: most objects need none

    protected Fid(String kind, MemorySegment address) {
        this.kind = kind;
        this.self = address.reinterpret(256);
        LiveObjects.opened(kind);
    }

    public final MemorySegment address() {
        if (closed.get()) {
            throw new IllegalStateException(kind + " is closed");
        }
        return self;
    }

    /**
     * Native buffers for this object's calls (error entries, events), freed once the object is
     * closed, so the provider never writes into freed memory through them.
     */
    protected final synchronized Arena buffers() {
        if (buffers == null) {
            buffers = Arena.ofShared();
        }
        return buffers;
    }

    /**
     * fi_close, then frees {@link #buffers()}; a second call does nothing. Throws if the provider
     * refuses (e.g. -FI_EBUSY).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            int rc = fi_ops.close.invoke(fi_ops.close(fidOps()), self);
            LiveObjects.closed(kind);
            Fi.check(rc, "fi_close(" + kind + ")");
        } finally {
            synchronized (this) {
                if (buffers != null) {
                    buffers.close();
                }
            }
        }
    }

    /** fi_control(fid, command, arg). */
    protected final int control(int command, MemorySegment arg) {
        return fi_ops.control.invoke(fi_ops.control(fidOps()), address(), command, arg);
    }

    /** fi_bind(fid, bfid, flags). */
    protected final void bind(Fid target, long flags, String what) {
        Fi.check(fi_ops.bind.invoke(fi_ops.bind(fidOps()), address(), target.address(), flags), what);
    }

    private MemorySegment fidOps() {
        return fid.ops(self);
    }
}
