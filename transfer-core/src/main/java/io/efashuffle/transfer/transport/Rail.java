package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.AddressVector;
import io.efashuffle.transfer.fabric.CompletionQueue;
import io.efashuffle.transfer.fabric.Domain;
import io.efashuffle.transfer.fabric.Endpoint;
import io.efashuffle.transfer.fabric.EventQueue;
import io.efashuffle.transfer.fabric.Fabric;
import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.FabricInfo;
import io.efashuffle.transfer.fabric.Fi;
import io.efashuffle.transfer.fabric.MemoryRegion;
import io.efashuffle.transfer.fabric.ProviderAttributes;
import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One NIC: fabric, domain, endpoint, its CQ, EQ and AV, and the single progress thread that makes
 * every libfabric call on them. Owning the domain from one thread lets the transport request
 * FI_THREAD_DOMAIN (no provider locks) on every provider. Other threads hand work over through a
 * lock-free inbox: operations to post, and control commands (register, connect, close).
 *
 * <p>The progress thread keeps polling the CQ while anything is in flight. When idle it spins
 * briefly and then sleeps: until woken where the provider progresses by itself (sockets,
 * efa-direct: a serving-only executor's thread then never runs), in fi_cq_sread when the CQ has a
 * wait object (the provider wakes it for incoming traffic, so tcp;ofi_rxm keeps serving peers'
 * reads at no idle CPU cost), else by parking with exponential back-off.
 */
final class Rail implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Rail.class.getName());
    private static final int CQ_BATCH = 64;
    private static final int POST_BATCH = 256;
    private static final int EVENTS_PER_POLL = 16;
    private static final int MAX_KEY_ATTEMPTS = 8;
    private static final long DEADLINE_SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * A held read to an shm peer whose process is gone is given up this long after that was seen:
     * time enough for this thread's progress to copy out anything the peer made ready before it
     * died (after that nothing can write the read's memory).
     */
    private static final long PEER_GONE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long BUSY_PARK_NANOS = 50_000;
    /** tcp passes a socket's EPIPE through; fi_errno.h names no FI_EPIPE. */
    private static final int EPIPE = 32;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    final int index;
    private final MemorySegment info;
    private final TransportConfig config;
    private final ProviderAttributes attributes;
    private final RegionKeys keys;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<RmaOperation> backlog = new ArrayDeque<>();
    private final Set<MemoryRegion> regions = new HashSet<>();
    private final Thread thread;

    // Owned by the progress thread after setup.
    private Fabric fabric;
    private Domain domain;
    private EventQueue eq;
    private CompletionQueue cq;
    private AddressVector av;
    private Endpoint ep;
    private OperationSlots slots;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment cqEntries = arena.allocate(ValueLayout.JAVA_LONG, CQ_BATCH);
    private boolean blockInSread;
    private byte[] endpointName;
    private PeerAddressRule peerAddresses;
    private Boolean emulatedRead;
    private Boolean emulatedWrite;

    private volatile boolean sleeping;
    private volatile boolean closing;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private final Consumer<Throwable> onFailed;

    // Written by the progress thread each time round its loop, read by the stall watchdog.
    private volatile long beatNanos = System.nanoTime();
    private volatile boolean holding; // operations posted or waiting for a credit
    private volatile boolean stalled;
    /** Closed without tearing down: the provider may still write the memory of its operations. */
    private volatile boolean leftToProvider;
    /** Posted operations already failed (deadline, close) that the provider still holds; progress thread's. */
    private int abandonedInFlight;
    /**
     * AV slots whose last user let go while operations to them were still held, by address: removed
     * when the last of those operations is released, or taken back by the next insert of the same
     * address (never inserted twice: shm unmaps a peer on any remove, whatever the use count). The
     * progress thread's.
     */
    private final Map<java.nio.ByteBuffer, Long> removalsDeferred = new HashMap<>();
    private final Map<Long, java.nio.ByteBuffer> addressOf = new HashMap<>();
    private final ProgressStallDetector stall;
    private final IdlePolicy idle; // the progress thread's, but for its immutable mode
    private volatile ScheduledFuture<?> watch; // null until set up

    // Statistics, written by the progress thread only.
    private volatile long posted;
    private volatile long completed;
    private volatile long failed;
    private volatile long sleeps;
    private volatile long givenUp;

    /**
     * @param onFailed told once, from the progress thread after a failed rail has let go of its
     *                 memory, or from the watchdog when the thread is stuck in the provider (the
     *                 memory then stays the provider's until the process exits)
     */
    Rail(int index, MemorySegment info, TransportConfig config, Consumer<Throwable> onFailed) {
        this.index = index;
        this.onFailed = onFailed;
        this.info = info;
        this.config = config;
        this.attributes = FabricInfo.attributes(info);
        this.keys = new RegionKeys(attributes.providerKeys(), attributes.mrKeySize());
        this.stall = new ProgressStallDetector(config.operationTimeout());
        this.idle = IdlePolicy.of(config, attributes.providerProgresses(), attributes.blockingReadSleeps());
        this.thread = Thread.ofPlatform().daemon().name("efa-progress-" + attributes.domain() + "-" + index)
                .unstarted(this::run);
        thread.start();
        try {
            call(this::setUp);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
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
        return emulatedRead;
    }

    /** EFA only: whether RDMA write is emulated in software; null if unknown. */
    Boolean emulatedWrite() {
        return emulatedWrite;
    }

    int credits() {
        return slots.capacity();
    }

    long cqSize() {
        return cqEntries(credits());
    }

    /** Completion queue entries for {@code credits}: twice as many (at least 1024), so it never overruns. */
    private static long cqEntries(int credits) {
        return Math.max(1024, 2L * credits);
    }

    /** How the idle progress thread waits, for the start line and the doctor: until-woken, sread, park or spin. */
    String idleWait() {
        return config.progress() == ProgressMode.SPIN ? "spin" : idle.sleepsUntilWoken() ? "until-woken"
                : blockInSread ? "sread" : "park";
    }

    long posted() {
        return posted;
    }

    long completed() {
        return completed;
    }

    long failed() {
        return failed;
    }

    long sleeps() {
        return sleeps;
    }

    /** CPU time of the progress thread so far (0 once it has ended). */
    long threadCpuNanos() {
        return Math.max(0, THREADS.getThreadCpuTime(thread.threadId()));
    }

    private Void setUp() {
        fabric = Fabric.open(info);
        domain = fabric.openDomain(info);
        eq = fabric.openEventQueue(64);
        int capacity = (int) Math.max(1, Math.min(config.maxOutstanding(), attributes.txSize()));
        long cqSize = cqEntries(capacity);
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
        blockInSread = cq.waitable() && config.progress() != ProgressMode.SPIN;
        av = domain.openAddressVector(64);
        ep = domain.openEndpoint(info);
        ep.bindEventQueue(eq);
        ep.bindCompletionQueue(cq);
        ep.bindAddressVector(av);
        ep.enable();
        endpointName = ep.name();
        peerAddresses = PeerAddressRule.of(attributes.addressFormat(), endpointName);
        if (attributes.isEfa()) {
            emulatedRead = ep.booleanOption(fabric_h.FI_OPT_ENDPOINT(), EfaOptions.FI_OPT_EFA_EMULATED_READ);
            emulatedWrite = ep.booleanOption(fabric_h.FI_OPT_ENDPOINT(), EfaOptions.FI_OPT_EFA_EMULATED_WRITE);
        }
        slots = new OperationSlots(capacity);
        return null;
    }

    // ---- called from any thread ----

    void submit(RmaOperation op) {
        checkUsable();
        inbox.offer(op);
        wake();
    }

    /** Runs {@code task} on the progress thread and returns its result. */
    <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new TransportException(e.getMessage(), e);
            }
        }
        checkUsable();
        FutureTask<T> future = new FutureTask<>(task);
        inbox.offer(future);
        wake();
        try {
            return future.get(config.operationTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new TransportException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new TransportException("progress thread of rail " + index + " did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted", e);
        }
    }

    /** Registers memory with exactly the access asked for; an application-chosen key is random. */
    MemoryRegion register(MemorySegment memory, RemoteAccess access) {
        return call(() -> {
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
        });
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
        call(() -> {
            if (regions.remove(mr)) {
                mr.close();
            }
            return null;
        });
    }

    /** Throws IllegalArgumentException unless the provider can read {@code name} as a peer's address. */
    void checkPeerAddress(String peer, byte[] name) {
        peerAddresses.check(peer, name);
    }

    long insertPeer(byte[] name) {
        return call(() -> {
            java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(name.clone());
            Long kept = removalsDeferred.remove(key);
            if (kept != null) {
                return kept;
            }
            long fiAddr = av.insert(name);
            addressOf.put(fiAddr, key);
            return fiAddr;
        });
    }

    /**
     * Removes an AV slot. While operations to it are still held (a failed read the provider has
     * not let go of) the removal waits for the last of them; a failed rail removes nothing.
     */
    void removePeer(long fiAddr) {
        if (failure != null) {
            return; // a failed rail posts nothing more to anyone
        }
        call(() -> {
            if (inUse(fiAddr)) {
                removalsDeferred.put(addressOf.get(fiAddr), fiAddr);
            } else {
                removeNow(fiAddr);
            }
            return null;
        });
    }

    private boolean inUse(long fiAddr) {
        for (int i = 0; i < slots.capacity(); i++) {
            RmaOperation op = slots.peek(i);
            if (op != null && ((FabricPeer) op.peer).fiAddrPerRail[index] == fiAddr) {
                return true;
            }
        }
        for (RmaOperation op : backlog) {
            if (((FabricPeer) op.peer).fiAddrPerRail[index] == fiAddr) {
                return true;
            }
        }
        return false;
    }

    private void removeNow(long fiAddr) {
        addressOf.remove(fiAddr);
        av.remove(fiAddr);
    }

    /** After an operation let go of its slot: removes the deferred AV slots nothing holds any more. */
    private void removeDeferredPeers() {
        if (removalsDeferred.isEmpty()) {
            return;
        }
        removalsDeferred.values().removeIf(fiAddr -> {
            if (inUse(fiAddr)) {
                return false;
            }
            removeNow(fiAddr);
            return true;
        });
    }

    /** Peer addresses no segment uses whose removal waits until the provider lets go of operations to them. */
    int addressesAwaitingRelease() {
        return call(removalsDeferred::size);
    }

    /** Why the progress thread stopped, or null while it runs (or after a clean close). */
    Throwable failure() {
        return failure;
    }

    /**
     * Fault injection for tests: the progress thread fails as if libfabric had returned an
     * unrecoverable error, with everything that follows (in-flight operations fail, the endpoint
     * closes, later calls are refused).
     */
    void injectFailure(String reason) {
        checkUsable();
        inbox.offer((Runnable) () -> {
            throw new FabricException("injected: " + reason, fabric_h.FI_EIO());
        });
        wake();
    }

    /**
     * Fault injection for tests: the progress thread stays away from its loop until {@code resume}
     * counts down, as a thread stuck inside the provider does. Returns once it is away.
     */
    void injectStall(java.util.concurrent.CountDownLatch resume) {
        checkUsable();
        java.util.concurrent.CountDownLatch away = new java.util.concurrent.CountDownLatch(1);
        inbox.offer((Runnable) () -> {
            away.countDown();
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        wake();
        try {
            if (!away.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("rail " + index + " did not take the injected stall");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkUsable() {
        Throwable f = failure; // first: a failed rail is also stopped, and the failure is the news
        if (f != null) {
            throw new RailFailedException("rail " + index + " failed earlier: " + f, f);
        }
        if (closing || stopped) {
            throw new IllegalStateException("transport is closed");
        }
    }

    private void wake() {
        if (sleeping) {
            if (blockInSread && cq != null) {
                cq.signal();
            }
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void close() {
        beginClose();
        awaitClose();
    }

    /** Refuses new work and asks the progress thread to drain and close; does not wait. */
    void beginClose() {
        closing = true;
        if (watch != null) {
            watch.cancel(false);
        }
        if (thread.isAlive()) {
            wake();
        }
    }

    /**
     * Waits (bounded) for the progress thread to close the endpoint. Rails wait side by side
     * ({@link FabricTransport#close}), so stuck rails cost one bound, not one each.
     */
    void awaitClose() {
        if (stalled) {
            leftToProvider = true;
            LOG.log(System.Logger.Level.ERROR, "progress thread of rail " + index + " is stuck in the provider; "
                    + "leaking its libfabric objects rather than freeing them under it");
            return;
        }
        if (thread.isAlive()) {
            try {
                thread.join(config.operationTimeout().toMillis() + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                // Never free memory the provider may still touch: leave it to process exit.
                leftToProvider = true;
                LOG.log(System.Logger.Level.ERROR, "progress thread of rail " + index + " did not stop; "
                        + "leaking its libfabric objects rather than freeing them under it");
                return;
            }
        }
    }

    /** Whether close left the endpoint open under a stuck or unstoppable thread (see {@link #close}). */
    boolean leftToProvider() {
        return leftToProvider;
    }

    // ---- the stall watchdog's thread ----

    /**
     * Fails the rail when its progress thread is stuck inside the provider with work waiting on it
     * ({@link ProgressStallDetector}): waiting operations get their outcome, a failure, so readers
     * go on; none is released, since the provider may still write their memory; nothing is asked
     * of libfabric; the owner hears of the failure as of any other.
     */
    void failIfStalled(long now) {
        if (failure != null || closing || stopped
                || !stall.stalled(beatNanos, now, holding || !inbox.isEmpty())) {
            return;
        }
        TransportException error = new RailFailedException("progress thread of rail " + index + " ("
                + attributes.provider() + ") has been inside the provider for "
                + TimeUnit.NANOSECONDS.toSeconds(now - beatNanos) + " s with work waiting (a peer that died "
                + "holding a shared lock leaves it so): the rail is failed, and the memory of its operations "
                + "stays with the provider until the process exits", fabric_h.FI_EIO());
        stalled = true;
        failure = error;
        LOG.log(System.Logger.Level.ERROR, error.getMessage());
        failStalled(error);
        onFailed.accept(error);
    }

    /**
     * Reports a failure to every operation waiting on a stuck thread, from the watchdog. Only what
     * the provider never saw (still in the inbox) is released; the rest keeps its memory held.
     */
    private void failStalled(TransportException error) {
        failInbox(error);
        try {
            // The owner of these is stuck, not changing them; an outcome is reported at most once.
            for (RmaOperation op : backlog) {
                op.complete(error);
            }
            for (int i = 0; slots != null && i < slots.capacity(); i++) {
                RmaOperation op = slots.peek(i);
                if (op != null) {
                    op.complete(error);
                }
            }
        } catch (java.util.ConcurrentModificationException e) {
            // It came back meanwhile and is handling them itself.
        }
    }

    // ---- progress thread ----

    private void run() {
        try {
            loop();
        } catch (Throwable t) {
            failure = t;
            LOG.log(System.Logger.Level.ERROR, "progress thread of rail " + index + " failed", t);
            failEverything(new RailFailedException("fabric progress failed: " + t, t));
        } finally {
            tearDown();
            stopped = true;
        }
        if (failure != null) {
            onFailed.accept(failure);
        }
    }

    /** Polls, posts and expires until closed; when to spin, park or sleep is {@link IdlePolicy}'s. */
    private void loop() {
        long nextScan = 0;
        while (true) {
            beatNanos = System.nanoTime();
            holding = slots != null && (slots.inUse() > 0 || !backlog.isEmpty());
            boolean worked = runInbox();
            boolean served = false;
            if (slots != null) {
                if (slots.inUse() == 0 && backlog.isEmpty() && idle.judgesServing()) {
                    // Nothing of ours in flight: a slow empty poll means the provider served a peer.
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    boolean completed = drainCompletions() > 0;
                    long took = THREADS.getCurrentThreadCpuTime() - t0;
                    worked |= completed;
                    served = !completed && idle.servedPeer(took);
                } else {
                    worked |= drainCompletions() > 0;
                }
                if (slots.inUse() > 0 || !backlog.isEmpty()) {
                    long now = System.nanoTime();
                    if (now - nextScan >= 0) {
                        expireOverdue(now);
                        nextScan = now + DEADLINE_SCAN_NANOS;
                        removeDeferredPeers(); // an expired backlog entry may have been the last user
                    }
                }
                if (worked) {
                    removeDeferredPeers(); // a completion may have released the last user
                }
                if ((idle.idleRounds() & 1023) == 0) {
                    pollEventQueue();
                }
            }
            if (closing) {
                drainForClose();
                return;
            }
            // Operations failed by their deadline only wait for the provider to let go, which may
            // never happen (shm and a dead peer): they do not keep the thread awake.
            boolean busy = slots != null && (slots.inUse() > abandonedInFlight || !backlog.isEmpty());
            switch (idle.next(worked, busy, served, inbox.isEmpty())) {
                case POLL -> {
                    if (!worked) {
                        Thread.onSpinWait();
                    }
                }
                case PARK_BRIEFLY -> waitBriefly();
                case SLEEP -> sleep();
            }
        }
    }

    /**
     * Nothing to do: parks until woken where the provider progresses by itself, else blocks in
     * fi_cq_sread where the CQ has a wait object, else parks with back-off.
     */
    private void sleep() {
        sleeping = true;
        if (inbox.isEmpty() && !closing) {
            sleeps++;
            if (idle.sleepsUntilWoken()) {
                if (abandonedInFlight > 0) {
                    LockSupport.parkNanos(this, PEER_GONE_GRACE_NANOS); // held reads' peers are checked
                } else {
                    LockSupport.park(this); // the provider serves peers; submit, call and close wake us
                }
            } else if (blockInSread) {
                long n = cq.sread(cqEntries, CQ_BATCH, config.idleWaitMillis());
                // A wake-up by fi_cq_signal or a timeout is not an error: sockets answers
                // -FI_ECANCELED, others -FI_ETIMEDOUT or -EINTR. Real errors show on the next read.
                if (n > 0 || n == -fabric_h.FI_EAVAIL()) {
                    handleReadResult(n);
                }
            } else {
                LockSupport.parkNanos(idle.idleParkNanos());
            }
        }
        sleeping = false;
    }

    /**
     * Operations are in flight but none completes soon: park briefly instead of burning a core.
     * A park, not fi_cq_sread, because providers differ in whether a blocking read makes progress
     * and honours its timeout with a peer gone (shm does not), and in-flight deadlines must be
     * checked.
     */
    private void waitBriefly() {
        sleeping = true;
        if (inbox.isEmpty() && !closing) {
            LockSupport.parkNanos(BUSY_PARK_NANOS);
        }
        sleeping = false;
    }

    private boolean runInbox() {
        boolean worked = false;
        int budget = POST_BATCH;
        if (!backlog.isEmpty()) {
            int n = postBacklog(budget);
            worked = n > 0;
            budget -= n;
        }
        Object item;
        while (budget-- > 0 && (item = inbox.poll()) != null) {
            worked = true;
            if (item instanceof RmaOperation op) {
                if (!backlog.isEmpty() || post(op) != Posting.DONE) {
                    backlog.addLast(op);
                }
            } else {
                ((Runnable) item).run();
            }
        }
        return worked;
    }

    /**
     * Posts what waits for a credit, in order per peer. A peer the provider answers -FI_EAGAIN for
     * (rxm while it connects, or cannot, to an endpoint that closed) holds back only its own
     * operations: the others go past it instead of waiting out its deadline behind it.
     *
     * @return how many left the backlog (posted, or finished without a post)
     */
    private int postBacklog(int budget) {
        Set<RemotePeer> held = null;
        int done = 0;
        for (java.util.Iterator<RmaOperation> it = backlog.iterator(); it.hasNext() && budget-- > 0; ) {
            RmaOperation op = it.next();
            if (held != null && held.contains(op.peer)) {
                continue;
            }
            switch (post(op)) {
                case DONE -> {
                    it.remove();
                    done++;
                }
                case AGAIN -> {
                    held = held == null ? new HashSet<>() : held;
                    held.add(op.peer);
                }
                case NO_CREDIT -> {
                    return done; // every credit is taken
                }
            }
        }
        return done;
    }

    private enum Posting { DONE, AGAIN, NO_CREDIT }

    /** Posts one operation, or finishes it when it cannot be posted at all; AGAIN on -FI_EAGAIN. */
    private Posting post(RmaOperation op) {
        FabricPeer peer = (FabricPeer) op.peer;
        if (peer.isLost()) {
            failed++;
            op.finish(new PeerLostException(op.describe() + " not posted: peer '" + peer.segmentName()
                    + "' was lost earlier", fabric_h.FI_EHOSTUNREACH()));
            return Posting.DONE;
        }
        int slot = slots.acquire(op);
        if (slot < 0) {
            return Posting.NO_CREDIT;
        }
        FabricMemory local = (FabricMemory) op.localMemory;
        long key = op.remoteKeys[index % peer.remoteRails];
        long wire = peer.wireAddress(op.remoteBase, op.remoteOffset);
        long rc = op.opcode == Opcode.READ
                ? ep.read(op.localAddress, op.length, local.descriptors[index], peer.fiAddrPerRail[index], wire, key,
                slots.context(slot))
                : ep.write(op.localAddress, op.length, local.descriptors[index], peer.fiAddrPerRail[index], wire, key,
                slots.context(slot));
        if (rc == 0) {
            posted++;
            // The provider's deadline starts now: time spent waiting for a credit is not its fault.
            op.deadlineNanos = System.nanoTime() + config.operationTimeout().toNanos();
            return Posting.DONE;
        }
        slots.release(slot);
        if (rc == -fabric_h.FI_EAGAIN()) {
            return Posting.AGAIN;
        }
        failed++;
        op.finish(new TransportException(op.describe() + " could not be posted: " + Fi.strerror((int) -rc),
                (int) -rc));
        return Posting.DONE;
    }

    private int drainCompletions() {
        return handleReadResult(cq.read(cqEntries, CQ_BATCH));
    }

    private int handleReadResult(long n) {
        if (n > 0) {
            for (int i = 0; i < n; i++) {
                finish(cqEntries.getAtIndex(ValueLayout.JAVA_LONG, i), null);
            }
            return (int) n;
        }
        if (n == -fabric_h.FI_EAGAIN() || n == 0) {
            return 0;
        }
        if (n == -fabric_h.FI_EAVAIL()) {
            CompletionQueue.CompletionError e = cq.readError();
            if (e != null) {
                finish(e.opContext(), e);
            }
            return 1;
        }
        throw new FabricException("fi_cq_read failed: " + Fi.strerror((int) -n), (int) -n);
    }

    private void finish(long context, CompletionQueue.CompletionError error) {
        int slot = slots.slotOf(context);
        if (slot < 0) {
            LOG.log(System.Logger.Level.WARNING, "completion with unknown context 0x" + Long.toHexString(context)
                    + (error == null ? "" : ": " + error.text()));
            return;
        }
        RmaOperation op = slots.complete(slot);
        if (op == null) {
            return;
        }
        if (op.abandoned) {
            abandonedInFlight--;
            op.release(); // failed earlier (deadline, close); the provider has let go of it only now
            return;
        }
        if (error == null) {
            completed++;
            op.finish(null);
            return;
        }
        failed++;
        FabricPeer peer = (FabricPeer) op.peer;
        String message = op.describe() + " failed: " + error.text();
        if (isConnectionLoss(error.errno())) {
            // This operation's connection broke; the peer may be alive (tcp reconnects on the next
            // post), so only this operation fails: the caller decides whether to try again.
            op.finish(new PeerLostException(message, error.errno()));
        } else {
            op.finish(new TransportException(message, error.errno()));
        }
    }

    static boolean isConnectionLoss(int errno) {
        return errno == fabric_h.FI_ECONNRESET() || errno == fabric_h.FI_EHOSTUNREACH()
                || errno == fabric_h.FI_ENOTCONN() || errno == fabric_h.FI_ECONNREFUSED()
                || errno == EPIPE || errno == fabric_h.FI_ECONNABORTED();
    }

    /**
     * Fails operations past their deadline. A posted one keeps its slot (and its memory stays
     * unreleased) until the provider lets go; one still waiting for a credit was never posted.
     * A timeout does not mark the peer lost: a paused peer answers later, and a dead one shows as
     * a connection error where the provider can tell; the caller decides what a timeout means.
     */
    private void expireOverdue(long now) {
        for (int i = 0; i < slots.capacity(); i++) {
            RmaOperation op = slots.peek(i);
            if (op != null && !op.abandoned && now - op.deadlineNanos > 0) {
                op.abandoned = true;
                abandonedInFlight++;
                op.complete(timeout(op, "did not complete"));
            }
        }
        while (!backlog.isEmpty() && now - backlog.peekFirst().deadlineNanos > 0) {
            RmaOperation op = backlog.pollFirst();
            op.finish(timeout(op, "found no free credit"));
        }
        if (abandonedInFlight > 0) {
            giveUpReadsOfGonePeers(now);
        }
    }

    /**
     * shm holds a read to a peer that died before serving it for ever (the peer does the copy and
     * answers; nothing else completes it). Once the peer's process is gone, nothing can write the
     * read's memory any more: it is released to its owner. The slot and its context stay the
     * provider's until the endpoint closes, and so does the peer's address (shm's progress still
     * looks into the peer's mapped region for a pending entry).
     */
    private void giveUpReadsOfGonePeers(long now) {
        for (int i = 0; i < slots.capacity(); i++) {
            RmaOperation op = slots.peek(i);
            if (op == null || !op.abandoned || op.isReleased()) {
                continue;
            }
            PeerProcess process = ((FabricPeer) op.peer).process;
            if (process == null) {
                continue;
            }
            if (op.peerGoneNanos == 0) {
                if (process.gone(now)) {
                    op.peerGoneNanos = now | 1;
                }
            } else if (now - op.peerGoneNanos > PEER_GONE_GRACE_NANOS) {
                givenUp++;
                if (givenUp == 1 || Long.bitCount(givenUp) == 1) {
                    LOG.log(System.Logger.Level.WARNING, "rail " + index + ": " + op.describe() + " was never "
                            + "served and its peer's process " + process.pid() + " has exited; its memory is given "
                            + "back (" + givenUp + " such read(s) so far)");
                }
                op.release();
            }
        }
    }

    private OperationTimeoutException timeout(RmaOperation op, String what) {
        failed++;
        return new OperationTimeoutException(op.describe() + " " + what + " within "
                + config.operationTimeout().toMillis() + " ms (peer '" + op.peer.segmentName() + "')",
                fabric_h.FI_ETIMEDOUT());
    }

    /** Logs what the provider reported; bounded, since a persistent error reads the same entry again. */
    private void pollEventQueue() {
        String event;
        for (int i = 0; i < EVENTS_PER_POLL && (event = eq.poll()) != null; i++) {
            LOG.log(System.Logger.Level.WARNING, "rail " + index + " (" + attributes.provider() + "): " + event);
        }
    }

    /** On close: refuse new work, give in-flight operations a bounded time, fail the rest. */
    private void drainForClose() {
        TransportException closed = new RailFailedException("transport closed", fabric_h.FI_ECANCELED());
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof RmaOperation op) {
                failed++;
                op.finish(closed);
            } else {
                ((Runnable) item).run();
            }
        }
        if (slots == null) {
            return;
        }
        while (!backlog.isEmpty()) {
            failed++;
            backlog.pollFirst().finish(closed);
        }
        long deadline = System.nanoTime() + Math.min(config.operationTimeout().toNanos(),
                TimeUnit.SECONDS.toNanos(5));
        while (slots.inUse() > 0 && System.nanoTime() - deadline < 0) {
            drainCompletions();
        }
        failInFlight(closed);
    }

    /** Fails every posted operation still waiting; it is released when the endpoint closes. */
    private void failInFlight(TransportException error) {
        for (int i = 0; i < slots.capacity(); i++) {
            RmaOperation op = slots.peek(i);
            if (op != null && !op.abandoned) {
                op.abandoned = true;
                abandonedInFlight++;
                failed++;
                op.complete(error);
            }
        }
    }

    /** Fails what callers handed over and the provider never saw: it holds no provider resource. */
    private void failInbox(TransportException error) {
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof RmaOperation op) {
                op.finish(error);
            } else if (item instanceof FutureTask<?> f) {
                f.cancel(false);
            }
        }
    }

    private void failEverything(TransportException error) {
        failInbox(error);
        while (!backlog.isEmpty()) {
            backlog.pollFirst().finish(error);
        }
        if (slots != null) {
            failInFlight(error);
        }
    }

    /** After the endpoint closed: every operation still in a slot is released (once). */
    private void releaseHeld() {
        if (slots == null) {
            return;
        }
        for (int i = 0; i < slots.capacity(); i++) {
            RmaOperation op = slots.peek(i);
            if (op != null) {
                slots.release(i);
                if (op.abandoned) {
                    op.release();
                } else {
                    op.finish(new RailFailedException("transport closed", fabric_h.FI_ECANCELED()));
                }
            }
        }
    }

    /**
     * Closes in the order the providers require: with FI_MR_ENDPOINT the regions bound to the
     * endpoint go first; otherwise the endpoint goes first so nothing in flight still uses a
     * region. The contexts are freed last, after the endpoint that could write them is gone.
     */
    private void tearDown() {
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
        order.add(slots);
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
                releaseHeld(); // the provider can no longer write for these operations
            }
        }
        regions.clear();
        arena.close();
    }
}
