package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;

/**
 * What the transport asks fi_getinfo for: an RDM endpoint with RMA, and the MR modes and
 * context mode this code knows how to honour. Null strings mean "any".
 *
 * @param provider  provider name or null; "tcp" matches the layered "tcp;ofi_rxm"
 * @param fabric    fabric name or null (e.g. "efa" rather than "efa-direct")
 * @param domain    domain/NIC name or null (e.g. "lo" keeps tcp traffic on loopback)
 * @param mrMode    FI_MR_* bits this code supports; the provider answers with the ones it needs
 * @param threading requested threading model
 */
public record FabricHints(String provider, String fabric, String domain, int mrMode, int threading) {

    /** Every MR mode bit the transport implements. */
    public static final int SUPPORTED_MR_MODE = fabric_h.FI_MR_LOCAL() | fabric_h.FI_MR_VIRT_ADDR()
            | fabric_h.FI_MR_ALLOCATED() | fabric_h.FI_MR_PROV_KEY() | fabric_h.FI_MR_ENDPOINT();

    /**
     * RMA reads and writes in both directions, so the engine's WRITE works; what peers may do to
     * a given buffer is decided by each registration's access (transport.RemoteAccess).
     */
    public static final long CAPS = fabric_h.FI_RMA() | fabric_h.FI_READ() | fabric_h.FI_WRITE()
            | fabric_h.FI_REMOTE_READ() | fabric_h.FI_REMOTE_WRITE();

    /** Every operation gets a 64-byte native context, so both context modes are honoured. */
    public static final long MODE = fabric_h.FI_CONTEXT() | fabric_h.FI_CONTEXT2();

    /** One thread (the rail's progress thread) makes every call on a domain. */
    public static FabricHints of(String provider, String domain) {
        return new FabricHints(provider, null, domain, SUPPORTED_MR_MODE, fabric_h.FI_THREAD_DOMAIN());
    }

    public FabricHints withMrMode(int bits) {
        return new FabricHints(provider, fabric, domain, bits, threading);
    }

    public FabricHints withFabric(String name) {
        return new FabricHints(provider, name, domain, mrMode, threading);
    }
}
