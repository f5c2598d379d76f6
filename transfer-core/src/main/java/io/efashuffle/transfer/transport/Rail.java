package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.FabricInfo;
import io.efashuffle.transfer.fabric.MemoryRegion;
import io.efashuffle.transfer.fabric.ProviderAttributes;
import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One NIC as the transport uses it: its endpoint ({@link FabricRailEndpoint}), the operations in
 * flight on it ({@link OperationTable}) and the single {@link ProgressThread} that makes every
 * libfabric call on them. Owning the domain from one thread lets the transport request
 * FI_THREAD_DOMAIN (no provider locks) on every provider; other threads hand work over.
 */
final class Rail implements AutoCloseable {
    final int index;
    private final TransportConfig config;
    private final ProviderAttributes attributes;
    private final IdlePolicy idle;
    private final ProgressThread progress;
    private FabricRailEndpoint endpoint; // set on the progress thread during construction
    private OperationTable table;
    private final byte[] endpointName;
    private final PeerAddressRule peerAddresses;
    private final ScheduledFuture<?> watch;

    /**
     * @param onFailed told once, from the progress thread after a failed rail has let go of its
     *                 memory, or from the watchdog when the thread is stuck in the provider (the
     *                 memory then stays the provider's until the process exits)
     */
    Rail(int index, MemorySegment info, TransportConfig config, Consumer<Throwable> onFailed) {
        this.index = index;
        this.config = config;
        this.attributes = FabricInfo.attributes(info);
        this.idle = IdlePolicy.of(config, attributes.providerProgresses(), attributes.blockingReadSleeps());
        this.progress = new ProgressThread(index, "efa-progress-" + attributes.domain() + "-" + index, config, idle,
                new ProgressStallDetector(config.operationTimeout()), onFailed);
        try {
            progress.call(() -> {
                endpoint = FabricRailEndpoint.open(index, info, config, attributes);
                table = new OperationTable(index, endpoint, config.operationTimeout().toNanos());
                progress.attach(endpoint, table, blocksInRead());
                return null;
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.endpointName = endpoint.name();
        this.peerAddresses = PeerAddressRule.of(attributes.addressFormat(), endpointName);
        this.watch = StallWatchdog.watch(this);
    }

    ProviderAttributes attributes() {
        return attributes;
    }

    byte[] endpointName() {
        return endpointName.clone();
    }

    /** EFA only: whether RDMA read is emulated in software (device RDMA read off); null if unknown. */
    Boolean emulatedRead() {
        return endpoint.emulatedRead();
    }

    /** EFA only: whether RDMA write is emulated in software; null if unknown. */
    Boolean emulatedWrite() {
        return endpoint.emulatedWrite();
    }

    int credits() {
        return endpoint.credits();
    }

    long cqSize() {
        return FabricRailEndpoint.cqEntries(credits());
    }

    /** How the idle progress thread waits, for the start line and the doctor: until-woken, sread, park or spin. */
    String idleWait() {
        return config.progress() == ProgressMode.SPIN ? "spin" : idle.sleepsUntilWoken() ? "until-woken"
                : blocksInRead() ? "sread" : "park";
    }

    /** Whether an idle progress thread blocks in fi_cq_sread: the CQ has a wait object and progress is not spin. */
    private boolean blocksInRead() {
        return endpoint.waitable() && config.progress() != ProgressMode.SPIN;
    }

    long posted() {
        return table.posted();
    }

    long completed() {
        return table.completed();
    }

    long failed() {
        return table.failed();
    }

    long sleeps() {
        return progress.sleeps();
    }

    /** CPU time of the progress thread so far (0 once it has ended). */
    long threadCpuNanos() {
        return progress.cpuNanos();
    }

    void submit(RmaOperation op) {
        progress.submit(op);
    }

    /** Registers memory with exactly the access asked for; an application-chosen key is random. */
    MemoryRegion register(MemorySegment memory, RemoteAccess access) {
        return progress.call(() -> endpoint.register(memory, access));
    }

    void unregister(MemoryRegion mr) {
        progress.call(() -> {
            endpoint.unregister(mr);
            return null;
        });
    }

    /** Throws IllegalArgumentException unless the provider can read {@code name} as a peer's address. */
    void checkPeerAddress(String peer, byte[] name) {
        peerAddresses.check(peer, name);
    }

    long insertPeer(byte[] name) {
        return progress.call(() -> table.addresses().insert(name));
    }

    /**
     * Removes an AV slot. While operations to it are still held (a failed read the provider has
     * not let go of) the removal waits for the last of them; a failed rail removes nothing.
     */
    void removePeer(long fiAddr) {
        if (progress.failure() != null) {
            return; // a failed rail posts nothing more to anyone
        }
        progress.call(() -> {
            table.addresses().remove(fiAddr, table::inUse);
            return null;
        });
    }

    /** Peer addresses no segment uses whose removal waits until the provider lets go of operations to them. */
    int addressesAwaitingRelease() {
        return progress.call(() -> table.addresses().awaitingRelease());
    }

    /** Why the progress thread stopped, or null while it runs (or after a clean close). */
    Throwable failure() {
        return progress.failure();
    }

    /**
     * Fault injection for tests: the progress thread fails as if libfabric had returned an
     * unrecoverable error, with everything that follows (in-flight operations fail, the endpoint
     * closes, later calls are refused).
     */
    void injectFailure(String reason) {
        progress.execute(() -> {
            throw new FabricException("injected: " + reason, fabric_h.FI_EIO());
        });
    }

    /**
     * Fault injection for tests: the progress thread stays away from its loop until {@code resume}
     * counts down, as a thread stuck inside the provider does. Returns once it is away.
     */
    void injectStall(CountDownLatch resume) {
        CountDownLatch away = new CountDownLatch(1);
        progress.execute(() -> {
            away.countDown();
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            if (!away.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("rail " + index + " did not take the injected stall");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The stall watchdog's question, once a second ({@link ProgressThread#failIfStalled}). */
    void failIfStalled(long now) {
        progress.failIfStalled(now, attributes.provider());
    }

    @Override
    public void close() {
        beginClose();
        awaitClose();
    }

    /** Refuses new work and asks the progress thread to drain and close; does not wait. */
    void beginClose() {
        if (watch != null) {
            watch.cancel(false);
        }
        progress.beginClose();
    }

    /**
     * Waits (bounded) for the progress thread to close the endpoint. Rails wait side by side
     * ({@link FabricTransport#close}), so stuck rails cost one bound, not one each.
     */
    void awaitClose() {
        progress.awaitClose();
    }

    /** Whether close left the endpoint open under a stuck or unstoppable thread. */
    boolean leftToProvider() {
        return progress.leftToProvider();
    }
}
