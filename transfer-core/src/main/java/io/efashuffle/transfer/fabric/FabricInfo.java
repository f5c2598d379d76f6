package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;
import io.efashuffle.transfer.fabric.ffi.fi_domain_attr;
import io.efashuffle.transfer.fabric.ffi.fi_ep_attr;
import io.efashuffle.transfer.fabric.ffi.fi_fabric_attr;
import io.efashuffle.transfer.fabric.ffi.fi_info;
import io.efashuffle.transfer.fabric.ffi.fi_tx_attr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** The list fi_getinfo returned; owned and freed once with fi_freeinfo. */
public final class FabricInfo implements AutoCloseable {
    private final MemorySegment head;
    private final AtomicBoolean freed = new AtomicBoolean();

    private FabricInfo(MemorySegment head) {
        this.head = head;
        LiveObjects.opened("info");
    }

    /**
     * fi_getinfo for RDM endpoints with RMA matching the hints.
     *
     * @return the list, or null when no provider matches (-FI_ENODATA)
     */
    public static FabricInfo query(FabricHints hints, int apiVersion) {
        Fi.load();
        MemorySegment h = fabric_h.fi_dupinfo(MemorySegment.NULL).reinterpret(fi_info.sizeof());
        if (h.equals(MemorySegment.NULL)) {
            throw new FabricException("fi_dupinfo(NULL) returned NULL: out of memory", fabric_h.FI_ENOMEM());
        }
        try (Arena arena = Arena.ofConfined()) {
            fi_info.caps(h, FabricHints.CAPS);
            fi_info.mode(h, FabricHints.MODE);
            MemorySegment ep = fi_info.ep_attr(h).reinterpret(fi_ep_attr.sizeof());
            fi_ep_attr.type(ep, fabric_h.FI_EP_RDM());
            MemorySegment dom = fi_info.domain_attr(h).reinterpret(fi_domain_attr.sizeof());
            fi_domain_attr.mr_mode(dom, hints.mrMode());
            fi_domain_attr.threading(dom, hints.threading());
            fi_domain_attr.av_type(dom, fabric_h.FI_AV_TABLE());
            MemorySegment fab = fi_info.fabric_attr(h).reinterpret(fi_fabric_attr.sizeof());
            // Strings live in the arena and are unhooked before fi_freeinfo, which would free() them.
            if (hints.domain() != null) {
                fi_domain_attr.name(dom, arena.allocateFrom(hints.domain()));
            }
            if (hints.provider() != null) {
                fi_fabric_attr.prov_name(fab, arena.allocateFrom(hints.provider()));
            }
            if (hints.fabric() != null) {
                fi_fabric_attr.name(fab, arena.allocateFrom(hints.fabric()));
            }
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = SignalGuard.call("fi_getinfo",
                    () -> fabric_h.fi_getinfo(apiVersion, MemorySegment.NULL, MemorySegment.NULL, 0L, h, out));
            fi_domain_attr.name(dom, MemorySegment.NULL);
            fi_fabric_attr.prov_name(fab, MemorySegment.NULL);
            fi_fabric_attr.name(fab, MemorySegment.NULL);
            if (rc == -fabric_h.FI_ENODATA()) {
                return null;
            }
            Fi.check(rc, "fi_getinfo");
            return new FabricInfo(out.get(ValueLayout.ADDRESS, 0).reinterpret(fi_info.sizeof()));
        } finally {
            fabric_h.fi_freeinfo(h);
        }
    }

    /** The entries of the list in provider preference order. */
    public List<MemorySegment> entries() {
        checkOpen();
        List<MemorySegment> out = new ArrayList<>();
        for (MemorySegment e = head; !e.equals(MemorySegment.NULL);
             e = fi_info.next(e).reinterpret(fi_info.sizeof())) {
            out.add(e);
        }
        return out;
    }

    public MemorySegment first() {
        checkOpen();
        return head;
    }

    public static ProviderAttributes attributes(MemorySegment info) {
        MemorySegment fab = fi_info.fabric_attr(info).reinterpret(fi_fabric_attr.sizeof());
        MemorySegment dom = fi_info.domain_attr(info).reinterpret(fi_domain_attr.sizeof());
        MemorySegment ep = fi_info.ep_attr(info).reinterpret(fi_ep_attr.sizeof());
        MemorySegment tx = fi_info.tx_attr(info).reinterpret(fi_tx_attr.sizeof());
        return new ProviderAttributes(
                string(fi_fabric_attr.prov_name(fab)), string(fi_fabric_attr.name(fab)),
                string(fi_domain_attr.name(dom)), fi_fabric_attr.api_version(fab),
                fi_info.caps(info), fi_info.mode(info), fi_domain_attr.mr_mode(dom),
                fi_domain_attr.threading(dom), fi_domain_attr.control_progress(dom), fi_domain_attr.data_progress(dom),
                fi_tx_attr.size(tx), fi_tx_attr.rma_iov_limit(tx), fi_ep_attr.max_msg_size(ep),
                fi_domain_attr.mr_key_size(dom), fi_info.addr_format(info));
    }

    private static String string(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "" : p.getString(0);
    }

    private void checkOpen() {
        if (freed.get()) {
            throw new IllegalStateException("fi_info list already freed");
        }
    }

    @Override
    public void close() {
        if (freed.compareAndSet(false, true)) {
            fabric_h.fi_freeinfo(head);
            LiveObjects.closed("info");
        }
    }
}
