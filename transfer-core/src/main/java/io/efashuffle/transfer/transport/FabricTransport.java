package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.FabricHints;
import io.efashuffle.transfer.fabric.FabricInfo;
import io.efashuffle.transfer.fabric.Fi;
import io.efashuffle.transfer.fabric.LibfabricCopies;
import io.efashuffle.transfer.fabric.MemoryRegion;
import io.efashuffle.transfer.fabric.ProviderAttributes;
import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Transport over libfabric FI_EP_RDM endpoints with FI_RMA: one rail (domain, endpoint, progress
 * thread) per configured NIC. Provider-agnostic by obeying what fi_getinfo returns: context mode,
 * MR mode (local descriptors, virtual addresses or offsets, provider or own keys, endpoint-bound
 * regions), tx credits and the largest message. The same code runs on efa, shm, tcp and sockets.
 */
public final class FabricTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(FabricTransport.class.getName());

    private final TransportConfig config;
    private final String provider;
    private final String fabricName; // null: the provider's first
    private final List<FabricInfo> infos = new ArrayList<>();
    private final List<Rail> rails = new ArrayList<>();
    private final Set<FabricMemory> registered = ConcurrentHashMap.newKeySet();
    private final PeerSlots peerSlots = new PeerSlots();
    private final AtomicLong registeredBytes = new AtomicLong();
    private final AtomicLong nextRail = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private volatile Consumer<Throwable> failureListener;
    private final boolean checkMemlock;
    private final long maxOperationBytes;
    private final long maxRegistrationBytes;

    public FabricTransport(TransportConfig config) {
        this.config = config;
        Fi.load();
        LibfabricCopies.requireOne();
        this.provider = ProviderSelection.resolve(config.provider());
        int api = Fi.requestedApiVersion();
        this.fabricName = FabricChoice.resolve(provider, config.fabric(), config.peersInsertedAhead(),
                () -> offeredFabrics(null, api));
        if (provider.equals("efa")) {
            requireEfaReady(api);
        }
        if (provider.equals("shm") || provider.equals("efa")) { // efa opens shm endpoints for same-host peers
            ShmRegionFiles.prepare();
        }
        try {
            for (MemorySegment entry : selectDomains(api)) {
                rails.add(new Rail(rails.size(), entry, config, this::railFailed));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.checkMemlock = config.memlockCheck().equals("on")
                || (config.memlockCheck().equals("auto") && provider.equals("efa"));
        long max = config.operationBytes();
        for (Rail r : rails) {
            // size_t: tcp and shm answer SIZE_MAX, which is -1 as a Java long
            if (Long.compareUnsigned(r.attributes().maxMsgSize(), max) < 0) {
                max = r.attributes().maxMsgSize();
            }
        }
        this.maxOperationBytes = max;
        this.maxRegistrationBytes = RegistrationLimit.of(config.registrationBytes(), railAttributes());
        LOG.log(System.Logger.Level.INFO, describe());
    }

    private static void requireEfaReady(int api) {
        if (api < Fi.MIN_EFA_API) {
            throw new FabricException("libfabric " + Fi.versionString(Fi.libraryVersion()) + " is older than "
                    + Fi.versionString(Fi.MIN_EFA_API) + ": below API 1.18 the EFA provider turns device RDMA "
                    + "read off. Install the AWS EFA software (libfabric >= 1.18).", fabric_h.FI_ENOSYS());
        }
        if ("0".equals(System.getenv("FI_EFA_USE_DEVICE_RDMA"))) {
            LOG.log(System.Logger.Level.WARNING, "FI_EFA_USE_DEVICE_RDMA=0: EFA will emulate RDMA read with "
                    + "messages, which costs the serving process CPU. Unset it on instances with RDMA read.");
        }
    }

    private List<MemorySegment> selectDomains(int api) {
        List<MemorySegment> entries = new ArrayList<>();
        List<String> nics = config.nics();
        if (nics.equals(List.of("*"))) {
            FabricInfo all = query(null, api);
            Set<String> seen = new LinkedHashSet<>();
            for (MemorySegment e : all.entries()) {
                ProviderAttributes a = FabricInfo.attributes(e);
                if (onFabric(a) && seen.add(a.domain())) {
                    entries.add(e);
                }
            }
            return entries;
        }
        for (String nic : nics.isEmpty() ? java.util.Collections.<String>singletonList(null) : nics) {
            entries.add(entryFor(nic, api));
        }
        return entries;
    }

    private FabricInfo query(String nic, int api) {
        FabricHints hints = FabricHints.of(provider, nic).withFabric(fabricName);
        if (config.mrModeOverride() >= 0) {
            hints = hints.withMrMode(config.mrModeOverride());
        }
        FabricInfo info = FabricInfo.query(hints, api);
        if (info == null) {
            String where = (nic == null ? "" : " on domain '" + nic + "'")
                    + (fabricName == null ? "" : " in fabric '" + fabricName + "' (setting 'fabric'; offered: "
                    + offeredFabrics(nic, api) + ")");
            String hint = provider.equals("efa")
                    ? " No EFA device was found: EFA interfaces exist only if the instance was launched with "
                    + "them (they cannot be attached later); check 'fi_info -p efa' and 'ibv_devices', and "
                    + "that the EFA software is installed."
                    : " Check 'fi_info -p " + provider + " -t FI_EP_RDM'.";
            throw new FabricException("libfabric provider '" + provider + "' offers no reliable-datagram endpoint "
                    + "with RMA" + where + " (fi_getinfo: no match)." + hint, fabric_h.FI_ENODATA());
        }
        infos.add(info);
        return info;
    }

    /**
     * The entry for one NIC. Filtered here because libfabric 1.17 does not apply the domain-name
     * hint to layered providers (tcp;ofi_rxm answers with every interface), nor, to be sure, the
     * fabric name.
     */
    private MemorySegment entryFor(String nic, int api) {
        FabricInfo info = query(nic, api);
        List<String> offered = new ArrayList<>();
        for (MemorySegment e : info.entries()) {
            ProviderAttributes a = FabricInfo.attributes(e);
            if ((nic == null || a.domain().equals(nic)) && onFabric(a)) {
                return e;
            }
            offered.add(a.domain() + " (fabric " + a.fabric() + ")");
        }
        String wanted = (nic == null ? "" : "domain '" + nic + "'") + (nic != null && fabricName != null ? " " : "")
                + (fabricName == null ? "" : "in fabric '" + fabricName + "'");
        throw new FabricException("libfabric provider '" + provider + "' has no " + wanted + "; it offers "
                + new LinkedHashSet<>(offered) + " (settings 'nics' and 'fabric')", fabric_h.FI_ENODATA());
    }

    private boolean onFabric(ProviderAttributes entry) {
        return fabricName == null || entry.fabric().equals(fabricName);
    }

    /** The provider's fabric names (for a message about a fabric it does not offer). */
    private Set<String> offeredFabrics(String nic, int api) {
        Set<String> names = new LinkedHashSet<>();
        try (FabricInfo all = FabricInfo.query(FabricHints.of(provider, nic), api)) {
            if (all != null) {
                all.entries().forEach(e -> names.add(FabricInfo.attributes(e).fabric()));
            }
        }
        return names;
    }

    @Override
    public String protocol() {
        return provider;
    }

    public List<ProviderAttributes> railAttributes() {
        return rails.stream().map(Rail::attributes).toList();
    }

    /**
     * Why a rail's progress thread stopped, or null while every rail runs. A failed rail fails
     * every operation given to it: the caller should stop using this transport.
     */
    public Throwable failure() {
        for (Rail r : rails) {
            Throwable t = r.failure();
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /**
     * Tells {@code listener} once, on its own thread, when a rail's progress thread has failed
     * (at once if one already has), so the owner can stop publishing this transport's memory
     * without waiting for its next use.
     */
    public void onFailure(Consumer<Throwable> listener) {
        failureListener = listener;
        Throwable t = failure();
        if (t != null) {
            railFailed(t);
        }
    }

    private void railFailed(Throwable t) {
        Consumer<Throwable> l = failureListener;
        if (l != null && failureReported.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("fabric-failure-listener").start(() -> l.accept(t));
        }
    }

    /**
     * After close: whether a rail had to be left open under a progress thread stuck in the
     * provider or that did not stop. The provider may then still write into registered memory
     * (a read landing late): its owner must not unmap or reuse it before the process exits.
     */
    public boolean memoryLeftToProvider() {
        return closed.get() && rails.stream().anyMatch(Rail::leftToProvider);
    }

    /** Fault injection for tests: rail 0's progress thread fails (see {@link Rail#injectFailure}). */
    public void injectProgressFailure(String reason) {
        rails.getFirst().injectFailure(reason);
    }

    /** Fault injection for tests: rail 0's progress thread is stuck until {@code resume} (see {@link Rail#injectStall}). */
    public void injectProgressStall(java.util.concurrent.CountDownLatch resume) {
        rails.getFirst().injectStall(resume);
    }

    /** Per-rail facts for logs and the doctor: provider, NIC, RDMA read mode, credits, progress. */
    public String describe() {
        StringBuilder b = new StringBuilder("fabric transport: provider=").append(provider);
        if (config.provider().equals("auto") && !provider.equals("efa")) {
            // No EFA here: auto fell back to plain TCP, which is worth a word when it is routable.
            List<String> routable = rails.stream().map(r -> r.attributes().domain()).filter(d -> !d.equals("lo")).toList();
            b.append(routable.isEmpty() ? " (auto: no EFA)" : " (auto: no EFA; plain TCP on " + String.join(",", routable)
                    + ", reachable from any host that routes to it)");
        }
        for (Rail r : rails) {
            ProviderAttributes a = r.attributes();
            b.append("; rail ").append(r.index).append(": fabric=").append(a.fabric()).append(" domain=").append(a.domain())
                    .append(" api=").append(Fi.versionString(a.apiVersion()))
                    .append(" mr_mode=").append(a.mrModeString())
                    .append(" credits=").append(r.credits()).append(" tx_depth=").append(a.txSize())
                    .append(" cq=").append(r.cqSize())
                    .append(" progress=").append(a.progressString())
                    .append(" idle=").append(r.idleWait());
            if (a.isEfa()) {
                b.append(" rdma_read=").append(rdmaMode(r.emulatedRead()))
                        .append(" rdma_write=").append(rdmaMode(r.emulatedWrite()));
            } else {
                b.append(" rdma_read=software(").append(provider).append(')'); // no NIC offload here
            }
        }
        b.append("; largest registration ").append(maxRegistrationBytes == Long.MAX_VALUE ? "unlimited"
                : (maxRegistrationBytes >> 20) + " MiB");
        if (rails.stream().anyMatch(r -> r.attributes().isEfa())) {
            b.append(" (EFA page table ").append(RegistrationLimit.EFA_PAGE_TABLE_ENTRIES >> 20)
                    .append("M entries per NIC: 88 GiB in 4 KiB pages, 44 TiB in 2 MiB pages)");
        }
        return b.toString();
    }

    private static String rdmaMode(Boolean emulated) {
        return emulated == null ? "unknown" : emulated ? "emulated" : "device";
    }

    @Override
    public EndpointAddresses localEndpoint() {
        checkOpen();
        List<byte[]> names = rails.stream().map(Rail::endpointName).toList();
        boolean virtual = rails.getFirst().attributes().virtualAddressing();
        return new EndpointAddresses(names, Map.of(EndpointAddresses.ADDRESSING,
                virtual ? EndpointAddresses.VIRTUAL : EndpointAddresses.OFFSET));
    }

    @Override
    public RegisteredMemory register(MemorySegment memory, RemoteAccess access) {
        checkOpen();
        if (memory.isNative() == false) {
            throw new IllegalArgumentException("only native (off-heap) memory can be registered");
        }
        long bytes = memory.byteSize();
        if (checkMemlock) {
            MemlockLimit limit = MemlockLimit.current();
            if (!limit.allows(registeredBytes.get(), bytes)) {
                throw new TransportException(limit.explain(registeredBytes.get(), bytes), fabric_h.FI_ENOMEM());
            }
        }
        MemoryRegion[] regions = new MemoryRegion[rails.size()];
        try {
            for (Rail r : rails) {
                regions[r.index] = r.register(memory, access);
            }
        } catch (RuntimeException e) {
            for (Rail r : rails) {
                if (regions[r.index] != null) {
                    r.unregister(regions[r.index]);
                }
            }
            String budget = RegistrationLimit.explainRefusal(railAttributes(), registeredBytes.get(), bytes);
            if (budget != null && e instanceof FabricException f) {
                throw new TransportException(f.getMessage() + ". " + budget, f.errno(), f);
            }
            throw e;
        }
        FabricMemory m = new FabricMemory(memory, access, regions);
        registered.add(m);
        registeredBytes.addAndGet(bytes);
        return m;
    }

    @Override
    public void unregister(RegisteredMemory memory) {
        if (!(memory instanceof FabricMemory m) || !registered.remove(m)) {
            throw new IllegalStateException("memory is not registered with this transport (or was already released)");
        }
        registeredBytes.addAndGet(-m.segment().byteSize());
        if (closed.get()) {
            return; // closing the rails released every region
        }
        for (Rail r : rails) {
            r.unregister(m.regions[r.index]);
        }
    }

    public long registeredBytes() {
        return registeredBytes.get();
    }

    /** Distinct peer addresses in the address vector (each rail holds one slot per address). */
    public int peerAddresses() {
        return peerSlots.size();
    }

    /**
     * Peer addresses no segment uses any more, kept in an address vector (the most of any rail)
     * until the provider lets go of a failed read to them; 0 once every such read is released.
     */
    public int addressesAwaitingRelease() {
        int most = 0;
        for (Rail r : rails) {
            most = Math.max(most, closed.get() ? 0 : r.addressesAwaitingRelease());
        }
        return most;
    }

    @Override
    public RemotePeer connect(String segmentName, EndpointAddresses remote) {
        checkOpen();
        if (remote.endpointNames().isEmpty()) {
            throw new IllegalArgumentException("segment '" + segmentName + "' publishes no endpoint");
        }
        String addressing = remote.attributes().getOrDefault(EndpointAddresses.ADDRESSING, EndpointAddresses.VIRTUAL);
        for (Rail r : rails) {
            r.checkPeerAddress(segmentName, remote.endpointNames().get(r.index % remote.endpointNames().size()));
        }
        String key = PeerSlots.key(remote.endpointNames());
        long[] fiAddrs = peerSlots.acquire(key, () -> {
            long[] inserted = new long[rails.size()];
            for (Rail r : rails) {
                inserted[r.index] = r.insertPeer(remote.endpointNames().get(r.index % remote.endpointNames().size()));
            }
            return inserted;
        });
        PeerProcess process = provider.equals("shm") ? PeerProcess.of(remote.endpointNames().getFirst()) : null;
        return new FabricPeer(segmentName, key, fiAddrs, addressing.equals(EndpointAddresses.VIRTUAL),
                remote.endpointNames().size(), process);
    }

    @Override
    public void disconnect(RemotePeer peer) {
        FabricPeer p = (FabricPeer) peer;
        p.markLost();
        if (closed.get()) {
            return;
        }
        peerSlots.release(p.addressKey, fiAddrs -> {
            for (Rail r : rails) {
                r.removePeer(fiAddrs[r.index]);
            }
        });
    }

    @Override
    public long maxRegistrationBytes() {
        return maxRegistrationBytes;
    }

    @Override
    public long maxOperationBytes() {
        return maxOperationBytes;
    }

    @Override
    public void submit(RmaOperation op) {
        // Bounds the wait for a credit; Rail restarts the deadline when the provider accepts it.
        op.deadlineNanos = System.nanoTime() + config.operationTimeout().toNanos();
        Rail rail = rails.size() == 1 ? rails.getFirst()
                : rails.get((int) Long.remainderUnsigned(nextRail.getAndIncrement(), rails.size()));
        rail.submit(op);
    }

    /**
     * CPU time the rails' progress threads have used: what serving peers costs this process where
     * the provider needs our polling for it (tcp), and nothing where it progresses by itself.
     */
    public long progressCpuNanos() {
        return rails.stream().mapToLong(Rail::threadCpuNanos).sum();
    }

    /** Operations each rail has completed, in rail order (tests of the spread over rails). */
    List<Long> completedByRail() {
        return rails.stream().map(Rail::completed).toList();
    }

    /** Operations posted, completed and failed, summed over rails. */
    public long[] counters() {
        long p = 0, c = 0, f = 0, s = 0;
        for (Rail r : rails) {
            p += r.posted();
            c += r.completed();
            f += r.failed();
            s += r.sleeps();
        }
        return new long[] {p, c, f, s};
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("transport is closed");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        rails.forEach(Rail::beginClose);
        rails.forEach(Rail::awaitClose);
        for (FabricInfo i : infos) {
            i.close();
        }
        registered.clear();
        registeredBytes.set(0);
    }
}
