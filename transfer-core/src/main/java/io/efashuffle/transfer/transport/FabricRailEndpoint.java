package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.AddressVector;
import io.efashuffle.transfer.fabric.CompletionQueue;
import io.efashuffle.transfer.fabric.Domain;
import io.efashuffle.transfer.fabric.Endpoint;
import io.efashuffle.transfer.fabric.EventQueue;
import io.efashuffle.transfer.fabric.Fabric;
import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.MemoryRegion;
import io.efashuffle.transfer.fabric.ProviderAttributes;
import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One rail's endpoint over the libfabric bindings: fabric, domain, event queue, completion queue,
 * address vector, endpoint and the memory regions registered on it. Opened, used and closed by
 * the rail's progress thread only (so the transport can ask for FI_THREAD_DOMAIN), except
 * {@link #signal}.
 */
final class FabricRailEndpoint implements RailEndpoint {
    private static final System.Logger LOG = System.getLogger(FabricRailEndpoint.class.getName());
    private static final int MAX_KEY_ATTEMPTS = 8;

    private final int index;
    private final TransportConfig config;
    private final ProviderAttributes attributes;
    private final RegionKeys keys;
    private final Set<MemoryRegion> regions = new HashSet<>();
    private Fabric fabric;
    private Domain domain;
    private EventQueue eq;
    private volatile CompletionQueue cq;
    private AddressVector av;
    private Endpoint ep;
    private int credits;
    private byte[] name;
    private Boolean emulatedRead;
    private Boolean emulatedWrite;

    private FabricRailEndpoint(int index, TransportConfig config, ProviderAttributes attributes) {
        this.index = index;
        this.config = config;
        this.attributes = attributes;
        this.keys = new RegionKeys(attributes.providerKeys(), attributes.mrKeySize());
    }

    /**
     * Opens rail {@code index}'s endpoint for {@code info}; on the progress thread. What failed
     * to open closes what opened before it.
     */
    static FabricRailEndpoint open(int index, MemorySegment info, TransportConfig config, ProviderAttributes attributes) {
        FabricRailEndpoint e = new FabricRailEndpoint(index, config, attributes);
        try {
            e.setUp(info);
            return e;
        } catch (RuntimeException ex) {
            e.close(() -> {});
            throw ex;
        }
    }

    private void setUp(MemorySegment info) {
        fabric = Fabric.open(info);
        domain = fabric.openDomain(info);
        eq = fabric.openEventQueue(64);
        credits = (int) Math.max(1, Math.min(config.maxOutstanding(), attributes.txSize()));
        long cqSize = cqEntries(credits);
        boolean sreadSleeps = attributes.blockingReadSleeps(); // else AUTO parks: shm's wait spins
        if (config.progress() == ProgressMode.WAIT || (config.progress() == ProgressMode.AUTO && sreadSleeps)) {
            try {
                cq = domain.openCompletionQueue(cqSize, fabric_h.FI_WAIT_UNSPEC());
            } catch (FabricException e) {
                if (config.progress() == ProgressMode.WAIT) {
                    throw new FabricException("progress mode 'wait' needs a CQ wait object, which provider "
                            + attributes.provider() + " does not offer (" + e.getMessage()
                            + "); use progress 'auto' or 'park'", e.errno());
                }
            }
        }
        if (cq == null) {
            cq = domain.openCompletionQueue(cqSize, fabric_h.FI_WAIT_NONE());
        }
        av = domain.openAddressVector(64);
        ep = domain.openEndpoint(info);
        ep.bindEventQueue(eq);
        ep.bindCompletionQueue(cq);
        ep.bindAddressVector(av);
        ep.enable();
        name = ep.name();
        if (attributes.isEfa()) {
            emulatedRead = ep.booleanOption(fabric_h.FI_OPT_ENDPOINT(), EfaOptions.FI_OPT_EFA_EMULATED_READ);
            emulatedWrite = ep.booleanOption(fabric_h.FI_OPT_ENDPOINT(), EfaOptions.FI_OPT_EFA_EMULATED_WRITE);
        }
    }

    /** Completion queue entries for {@code credits}: twice as many (at least 1024), so it never overruns. */
    static long cqEntries(int credits) {
        return Math.max(1024, 2L * credits);
    }

    byte[] name() {
        return name.clone();
    }

    Boolean emulatedRead() {
        return emulatedRead;
    }

    Boolean emulatedWrite() {
        return emulatedWrite;
    }

    @Override
    public int credits() {
        return credits;
    }

    @Override
    public long post(RmaOperation op, MemorySegment context) {
        FabricPeer peer = (FabricPeer) op.peer;
        FabricMemory local = (FabricMemory) op.localMemory;
        long key = op.remoteKeys[index % peer.remoteRails];
        long wire = peer.wireAddress(op.remoteBase, op.remoteOffset);
        return op.opcode == Opcode.READ
                ? ep.read(op.localAddress, op.length, local.descriptors[index], peer.fiAddrPerRail[index], wire, key,
                context)
                : ep.write(op.localAddress, op.length, local.descriptors[index], peer.fiAddrPerRail[index], wire, key,
                context);
    }

    @Override
    public long readCompletions(MemorySegment entries, int max) {
        return cq.read(entries, max);
    }

    @Override
    public CompletionQueue.CompletionError readError() {
        return cq.readError();
    }

    @Override
    public boolean waitable() {
        return cq.waitable();
    }

    @Override
    public long waitCompletions(MemorySegment entries, int max, int timeoutMillis) {
        return cq.sread(entries, max, timeoutMillis);
    }

    @Override
    public void signal() {
        CompletionQueue q = cq;
        if (q != null) {
            q.signal();
        }
    }

    @Override
    public String pollEvent() {
        return eq.poll();
    }

    @Override
    public long insertAddress(byte[] peerName) {
        return av.insert(peerName);
    }

    @Override
    public void removeAddress(long fiAddr) {
        av.remove(fiAddr);
    }

    /** Registers memory with exactly the access asked for; an application-chosen key is random. */
    MemoryRegion register(MemorySegment memory, RemoteAccess access) {
        MemoryRegion mr = registerWithFreshKey(memory, access);
        try {
            if (attributes.endpointBoundRegions()) {
                mr.bindAndEnable(ep);
            }
        } catch (RuntimeException e) {
            mr.close();
            throw e;
        }
        regions.add(mr);
        return mr;
    }

    private MemoryRegion registerWithFreshKey(MemorySegment memory, RemoteAccess access) {
        for (int attempt = 1; ; attempt++) {
            try {
                return domain.register(memory, access.fabricAccess(), keys.next());
            } catch (FabricException e) {
                // A random key can collide with one in use (FI_ENOKEY); a fresh one will not, soon.
                if (e.errno() != fabric_h.FI_ENOKEY() || attempt == MAX_KEY_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    void unregister(MemoryRegion mr) {
        if (regions.remove(mr)) {
            mr.close();
        }
    }

    /**
     * Closes in the order the providers require: with FI_MR_ENDPOINT the regions bound to the
     * endpoint go first; otherwise the endpoint goes first so nothing in flight still uses a
     * region.
     */
    @Override
    public void close(Runnable endpointClosed) {
        List<AutoCloseable> order = new ArrayList<>();
        boolean mrFirst = attributes.endpointBoundRegions();
        if (mrFirst) {
            order.addAll(regions);
        }
        order.add(ep);
        if (!mrFirst) {
            order.addAll(regions);
        }
        order.add(av);
        order.add(cq);
        order.add(eq);
        order.add(domain);
        order.add(fabric);
        for (AutoCloseable c : order) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + c.getClass().getSimpleName() + ": " + e);
            }
            if (c == ep) {
                endpointClosed.run(); // the provider can no longer write for these operations
            }
        }
        if (ep == null) {
            endpointClosed.run();
        }
        regions.clear();
    }
}
