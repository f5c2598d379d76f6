package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Which libfabric fabric a transport asks for (the {@code fabric} setting). The EFA provider
 * offers two: {@code efa} and, from libfabric 2.x, {@code efa-direct}, which offloads all
 * progress to the device but requires the RMA target to have inserted the initiator's address
 * into its AV before the first operation (libfabric {@code prov/efa/docs/efa_fabric_comparison.md},
 * "Peer AV entry on the RMA target side"). The transport inserts a peer when it first reads from
 * it; only an application that also inserts every peer that may read it, before that peer reads
 * ({@code peersInsertedAhead}: the Spark plugin's peer sync), meets that rule, so efa-direct is
 * refused without it. On efa "auto" takes efa-direct where the node offers it (libfabric 2.x on a
 * device with RDMA read) and peers are inserted ahead, and the {@code efa} fabric otherwise: it is
 * always named, because libfabric 2.x lists efa-direct first and would choose it unasked.
 * Elsewhere "auto" takes the provider's first fabric and any other name is required as given (tcp
 * names its fabrics by network, e.g. {@code 127.0.0.1/32} or {@code ::1/128} on loopback).
 */
final class FabricChoice {
    static final String AUTO = "auto";
    static final String EFA = "efa";
    static final String EFA_DIRECT = "efa-direct";

    private FabricChoice() {}

    /**
     * The fabric name to require in fi_getinfo's hints, or null for the provider's first.
     * {@code offered} lists the provider's fabrics; it is asked only where the answer depends on it.
     */
    static String resolve(String provider, String configured, boolean peersInsertedAhead,
                          Supplier<Set<String>> offered) {
        if (configured.equals(EFA_DIRECT) && !peersInsertedAhead) {
            throw new FabricException("fabric=efa-direct needs every process to insert its readers into its "
                    + "address vector before they read (libfabric's efa-direct requires the RMA target to know "
                    + "the initiator): set peersInsertedAhead (the Spark plugin does with "
                    + "spark.shuffle.efa.peers.insertAhead=true), or use fabric=auto (the efa fabric)",
                    fabric_h.FI_ENOSYS());
        }
        if (!configured.equals(AUTO)) {
            return configured;
        }
        if (!provider.equals("efa")) {
            return null;
        }
        return peersInsertedAhead && offered.get().contains(EFA_DIRECT) ? EFA_DIRECT : EFA;
    }
}
