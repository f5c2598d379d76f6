package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.RemoteAccess;
import io.efashuffle.transfer.transport.RmaOperation;
import io.efashuffle.transfer.transport.Transport;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mooncake's Transfer Engine in Java. A process names itself (its segment), installs a transport,
 * registers local memory (published to a {@link MetadataRegistry} as its segment descriptor),
 * opens other processes' segments by name, and moves bytes with batches of one-sided READ and
 * WRITE requests. The transport used for a target is the one whose protocol the target's
 * descriptor names.
 *
 * <p>Every request is checked before anything of its call is posted: local bytes must lie in
 * memory registered here, remote bytes in a buffer the target published. Requests larger than
 * the transport's largest operation are split. Completion handlers of the async form run on a
 * transport progress thread: keep them short or continue with an {@code *Async} stage.
 */
public final class TransferEngine implements AutoCloseable {
    private final String localName;
    private final MetadataRegistry registry;
    private final Map<String, Transport> transports = new ConcurrentHashMap<>();
    private volatile Transport primary;
    private final NavigableMap<Long, LocalBuffer> localBuffers = new ConcurrentSkipListMap<>();
    private final Map<Long, OpenSegment> segments = new ConcurrentHashMap<>();
    /** Peers inserted ahead of their reads ({@link #knowPeer}), by segment name. */
    private final Map<String, OpenSegment> knownPeers = new ConcurrentHashMap<>();
    private final Map<Long, Batch> batches = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private static final RmaOperation.Handler HANDLER = new RmaOperation.Handler() {
        @Override
        public void completed(RmaOperation op, RuntimeException err) {
            ((Task) op.attachment()).operationDone(err);
        }

        @Override
        public void released(RmaOperation op) {
            ((Task) op.attachment()).operationReleased();
        }
    };

    public TransferEngine(String localSegmentName, MetadataRegistry registry) {
        this.localName = localSegmentName;
        this.registry = registry;
    }

    public String localSegmentName() {
        return localName;
    }

    /**
     * Installs a transport; the first installed one is the protocol this segment publishes. The
     * engine owns it from now on and closes it on {@link #close()}. Returns it as given, so a
     * caller keeps its own type.
     */
    public <T extends Transport> T installTransport(T transport) {
        checkOpen();
        if (transports.putIfAbsent(transport.protocol(), transport) != null) {
            throw new IllegalStateException("a transport for protocol '" + transport.protocol() + "' is already installed");
        }
        if (primary == null) {
            primary = transport;
        }
        publishLocal();
        return transport;
    }

    /** Registers memory and publishes the updated descriptor. */
    public void registerLocalMemory(MemorySegment memory, String location, RemoteAccess access) {
        registerLocalMemory(memory, location, access, true);
    }

    /**
     * Registers native memory with the primary transport. Only memory peers may access goes into
     * the published descriptor; {@link RemoteAccess#NONE} memory stays private to this process.
     *
     * @param access  what peers may do to it
     * @param publish whether to publish the updated descriptor now (batch many registrations, then
     *                {@link #publishLocal()})
     */
    public void registerLocalMemory(MemorySegment memory, String location, RemoteAccess access, boolean publish) {
        checkOpen();
        Transport t = requirePrimary();
        for (LocalBuffer b : localBuffers.values()) {
            if (memory.address() < b.base() + b.segment.byteSize() && b.base() < memory.address() + memory.byteSize()) {
                throw new IllegalArgumentException("memory at 0x" + Long.toHexString(memory.address())
                        + " overlaps a registered buffer at 0x" + Long.toHexString(b.base()));
            }
        }
        // Larger than the provider registers at once: pieces, each with its own keys, read as one.
        List<LocalBuffer> pieces = new ArrayList<>();
        AtomicLong inFlight = new AtomicLong();
        try {
            for (MemorySegment piece : RegistrationPieces.of(memory, t.maxRegistrationBytes())) {
                pieces.add(new LocalBuffer(piece, memory, location, t.register(piece, access), inFlight));
            }
        } catch (RuntimeException e) {
            for (LocalBuffer b : pieces) {
                closeQuietly(() -> t.unregister(b.registration), e);
            }
            throw e;
        }
        for (LocalBuffer b : pieces) {
            localBuffers.put(b.base(), b);
        }
        if (publish) {
            publishLocal();
        }
    }

    public void unregisterLocalMemory(MemorySegment memory) {
        unregisterLocalMemory(memory, true);
    }

    /** Releases a registration (all its pieces); refused while transfers still use the memory. */
    public void unregisterLocalMemory(MemorySegment memory, boolean publish) {
        checkOpen();
        LocalBuffer first = localBuffers.get(memory.address());
        if (first == null || first.whole.address() != memory.address() || first.whole.byteSize() != memory.byteSize()) {
            throw new IllegalArgumentException("memory at 0x" + Long.toHexString(memory.address()) + " ("
                    + memory.byteSize() + " bytes) is not registered");
        }
        if (first.inFlight() > 0) {
            throw new IllegalStateException("memory at 0x" + Long.toHexString(memory.address()) + " is used by "
                    + first.inFlight() + " operations in flight");
        }
        List<LocalBuffer> pieces = new ArrayList<>(localBuffers.subMap(memory.address(), true,
                memory.address() + memory.byteSize(), false).values());
        RuntimeException failed = null;
        for (LocalBuffer b : pieces) {
            localBuffers.remove(b.base());
            failed = closeQuietly(() -> requirePrimary().unregister(b.registration), failed);
        }
        if (publish) {
            publishLocal();
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** This process's descriptor as published. */
    public SegmentDescriptor localDescriptor() {
        Transport t = requirePrimary();
        return new SegmentDescriptor(localName, t.protocol(), t.localEndpoint(),
                localBuffers.values().stream().filter(LocalBuffer::published).map(LocalBuffer::describe).toList());
    }

    /** Publishes this process's descriptor to the registry. */
    public void publishLocal() {
        checkOpen();
        registry.publish(localDescriptor());
    }

    /**
     * Opens a remote segment by name: looks up its descriptor and connects the transport of its
     * protocol.
     *
     * @return the segment id used as {@link TransferRequest#targetId()}
     */
    public long openSegment(String name) {
        checkOpen();
        SegmentDescriptor d = registry.lookup(name).orElseThrow(() -> new IllegalArgumentException(
                "segment '" + name + "' is not in the metadata registry"));
        Transport t = transports.get(d.protocol());
        if (t == null) {
            throw new IllegalStateException("segment '" + name + "' speaks protocol '" + d.protocol()
                    + "' but this engine has transports for " + transports.keySet());
        }
        long id = nextId.getAndIncrement();
        segments.put(id, new OpenSegment(id, d, t, t.connect(name, d.endpoint())));
        return id;
    }

    /** Waits until a segment is published, then opens it. */
    public long openSegment(String name, Duration wait) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (registry.lookup(name).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("segment '" + name + "' was not published within " + wait);
            }
            Thread.sleep(20);
        }
        return openSegment(name);
    }

    /**
     * Inserts a peer's endpoints into the transport's address vector now, before it reads from
     * this process, and keeps them until {@link #forgetPeer}: providers such as efa-direct serve a
     * read only from an initiator the target already knows. Knowing a peer again with the same
     * endpoints does nothing; with new ones it replaces the old entry.
     *
     * @return false where no transport of this engine speaks the peer's protocol: it cannot read
     *         this process over the fabric, so there is nothing to insert
     */
    public boolean knowPeer(SegmentDescriptor peer) {
        checkOpen();
        Transport t = transports.get(peer.protocol());
        if (peer.name().equals(localName) || t == null) {
            return t != null;
        }
        OpenSegment known = knownPeers.get(peer.name());
        if (known != null && sameEndpoints(known.descriptor, peer)) {
            return true;
        }
        OpenSegment s = new OpenSegment(0, peer, t, t.connect(peer.name(), peer.endpoint()));
        OpenSegment old = knownPeers.put(peer.name(), s);
        if (old != null) {
            old.transport.disconnect(old.peer);
        }
        return true;
    }

    /** Lets go of a peer inserted by {@link #knowPeer} (it left); segments opened to read it keep their own entry. */
    public void forgetPeer(String name) {
        OpenSegment s = knownPeers.remove(name);
        if (s != null && !closed.get()) {
            s.transport.disconnect(s.peer);
        }
    }

    /** The names of the peers inserted ahead. */
    public java.util.Set<String> knownPeers() {
        return java.util.Set.copyOf(knownPeers.keySet());
    }

    private static boolean sameEndpoints(SegmentDescriptor a, SegmentDescriptor b) {
        List<byte[]> x = a.endpoint().endpointNames();
        List<byte[]> y = b.endpoint().endpointNames();
        if (!a.protocol().equals(b.protocol()) || x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!java.util.Arrays.equals(x.get(i), y.get(i))) {
                return false;
            }
        }
        return true;
    }

    public SegmentDescriptor segmentDescriptor(long segmentId) {
        return segment(segmentId).descriptor;
    }

    public void closeSegment(long segmentId) {
        OpenSegment s = segments.remove(segmentId);
        if (s == null) {
            throw new IllegalArgumentException("segment id " + segmentId + " is not open");
        }
        s.transport.disconnect(s.peer);
    }

    public long allocateBatchId(int capacity) {
        checkOpen();
        if (capacity <= 0) {
            throw new IllegalArgumentException("batch capacity must be > 0");
        }
        long id = nextId.getAndIncrement();
        batches.put(id, new Batch(capacity));
        return id;
    }

    /** Submits requests into a batch; they are all checked before any is posted. */
    public void submitTransfer(long batchId, List<TransferRequest> requests) {
        checkOpen();
        Batch batch = batch(batchId);
        List<Prepared> prepared = prepare(requests);
        int first = batch.reserve(requests.size());
        RuntimeException refused = postAll(batch, first, prepared);
        if (refused != null) {
            throw refused; // nothing of these requests reached a provider; they are failed in the batch
        }
    }

    /** Waits for every submitted task of a batch; throws the first failure. */
    public void awaitBatch(long batchId, Duration timeout) throws TimeoutException, InterruptedException {
        try {
            batch(batchId).completion().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    /** Frees a batch; refused while a provider still holds an operation of it (it may write its memory). */
    public void freeBatchId(long batchId) {
        Batch b = batch(batchId);
        if (!b.isIdle()) {
            throw new IllegalStateException("batch " + batchId + " still has pending transfers");
        }
        batches.remove(batchId);
    }

    /** Submits requests as one internal batch; the future completes when all are done. */
    public CompletableFuture<Void> transferAsync(List<TransferRequest> requests) {
        return submitAsync(requests).done();
    }

    /**
     * Submits requests as one internal batch. Its {@link Transfer} tells each request's outcome
     * and when the local memory is no longer held by the provider: reuse a READ's landing memory
     * only after {@link Transfer#released()}, not merely after a failure.
     *
     * <p>Throws only while nothing is posted. A rail that refuses an operation after others of
     * the batch were posted fails the rest of the batch instead: the caller gets the transfer,
     * whose {@code released()} still waits for the posted ones, since they may land in its memory.
     */
    public Transfer submitAsync(List<TransferRequest> requests) {
        checkOpen();
        List<Prepared> prepared = prepare(requests);
        if (prepared.isEmpty()) {
            return BatchTransfer.EMPTY;
        }
        Batch batch = new Batch(prepared.size());
        batch.reserve(prepared.size());
        RuntimeException refused = postAll(batch, 0, prepared);
        if (refused != null) {
            throw refused; // nothing of the batch reached a provider
        }
        return new BatchTransfer(batch);
    }

    /**
     * Posts {@code prepared} into the batch's tasks from {@code first}. Once a transport refuses
     * an operation, the requests after it are failed without posting. Returns the refusal if
     * nothing at all was posted, else null (the batch then reports the refusal as those requests' error).
     */
    private RuntimeException postAll(Batch batch, int first, List<Prepared> prepared) {
        for (int i = 0; i < prepared.size(); i++) {
            Task task = post(batch, prepared.get(i));
            batch.tasks[first + i] = task;
            RuntimeException refused = task.refusal();
            if (refused != null) {
                for (int j = i + 1; j < prepared.size(); j++) {
                    batch.tasks[first + j] = Task.refused(batch, prepared.get(j).local, refused);
                }
                return i == 0 && task.postedNone() ? refused : null;
            }
        }
        return null;
    }

    private record Prepared(TransferRequest request, LocalBuffer local, OpenSegment target, BufferDescriptor remote) {}

    private List<Prepared> prepare(List<TransferRequest> requests) {
        List<Prepared> out = new ArrayList<>(requests.size());
        for (TransferRequest r : requests) {
            Map.Entry<Long, LocalBuffer> e = localBuffers.floorEntry(r.localAddress());
            if (e == null || !e.getValue().registrationContains(r.localAddress(), r.length())) {
                throw new IllegalArgumentException("local range 0x" + Long.toHexString(r.localAddress()) + "+"
                        + r.length() + " is not inside memory registered with this engine");
            }
            OpenSegment s = segment(r.targetId());
            BufferDescriptor remote = s.descriptor.bufferContaining(r.targetAddress(), r.length());
            if (remote == null && !s.descriptor.covers(r.targetAddress(), r.length())) {
                refresh(s);
                remote = s.descriptor.bufferContaining(r.targetAddress(), r.length());
            }
            if (remote == null && !s.descriptor.covers(r.targetAddress(), r.length())) {
                throw new IllegalArgumentException("remote range 0x" + Long.toHexString(r.targetAddress()) + "+"
                        + r.length() + " is not inside a buffer published by segment '" + s.descriptor.name() + "'");
            }
            // remote null: the range spans pieces of a registration (planned per operation in post)
            out.add(new Prepared(r, e.getValue(), s, remote));
        }
        return out;
    }

    /** The target may have registered more memory since it was opened. */
    private void refresh(OpenSegment s) {
        Optional<SegmentDescriptor> d = registry.lookup(s.descriptor.name());
        d.ifPresent(desc -> s.descriptor = desc);
    }

    private Task post(Batch batch, Prepared p) {
        TransferRequest r = p.request;
        long max = p.target.transport.maxOperationBytes();
        if (p.remote == null || !p.local.contains(r.localAddress(), r.length())) {
            return postPlanned(batch, p, max);
        }
        int ops = (int) Math.max(1, (r.length() + max - 1) / max);
        Task task = new Task(batch, p.local, ops);
        p.local.acquire(ops);
        long remoteOffset = r.targetAddress() - p.remote.base();
        long[] keys = p.remote.keysUnsafe();
        for (int i = 0; i < ops; i++) {
            long off = i * max;
            long len = Math.min(max, r.length() - off);
            RmaOperation op = new RmaOperation(r.opcode(), r.localAddress() + off, len,
                    p.local.registration, p.target.peer, p.remote.base(), remoteOffset + off, keys, HANDLER, task);
            if (!submit(p.target.transport, op, task)) {
                break;
            }
        }
        return task;
    }

    /** A request across registration pieces: one operation per piece pair (see {@link OperationPlan}). */
    private Task postPlanned(Batch batch, Prepared p, long max) {
        TransferRequest r = p.request;
        SegmentDescriptor remote = p.target.descriptor;
        List<OperationPlan.Step> steps = OperationPlan.of(r.localAddress(), r.targetAddress(), r.length(), max,
                a -> localBuffers.floorEntry(a).getValue(), a -> remote.bufferContaining(a, 1));
        Task task = new Task(batch, p.local, steps.size());
        p.local.acquire(steps.size());
        for (OperationPlan.Step st : steps) {
            RmaOperation op = new RmaOperation(r.opcode(), st.localAddress(), st.length(),
                    st.local().registration, p.target.peer, st.remote().base(), st.remoteAddress() - st.remote().base(),
                    st.remote().keysUnsafe(), HANDLER, task);
            if (!submit(p.target.transport, op, task)) {
                break;
            }
        }
        return task;
    }

    /**
     * Hands one operation of {@code task} to its transport. If the transport refuses it, that
     * operation and the task's others not yet posted end now (failed and released: no provider
     * holds them); returns false then.
     */
    private static boolean submit(Transport transport, RmaOperation op, Task task) {
        try {
            transport.submit(op);
            task.posted();
            return true;
        } catch (RuntimeException e) {
            task.refuseUnposted(e);
            return false;
        }
    }

    private OpenSegment segment(long id) {
        OpenSegment s = segments.get(id);
        if (s == null) {
            throw new IllegalArgumentException("segment id " + id + " is not open");
        }
        return s;
    }

    private Batch batch(long id) {
        Batch b = batches.get(id);
        if (b == null) {
            throw new IllegalArgumentException("batch id " + id + " is not allocated");
        }
        return b;
    }

    private Transport requirePrimary() {
        Transport t = primary;
        if (t == null) {
            throw new IllegalStateException("no transport installed");
        }
        return t;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("transfer engine '" + localName + "' is closed");
        }
    }

    /** Unpublishes, disconnects, releases registrations and closes the transports. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            registry.remove(localName);
        } catch (RuntimeException ignored) {
            // the registry may be gone already (e.g. the driver at application end)
        }
        RuntimeException first = null;
        for (OpenSegment s : segments.values()) {
            first = closeQuietly(() -> s.transport.disconnect(s.peer), first);
        }
        segments.clear();
        for (OpenSegment s : knownPeers.values()) {
            first = closeQuietly(() -> s.transport.disconnect(s.peer), first);
        }
        knownPeers.clear();
        for (Transport t : transports.values()) {
            // fails what is still in flight, then closes endpoints and every region
            first = closeQuietly(t::close, first);
        }
        localBuffers.clear();
        transports.clear();
        batches.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Runs one step of close; a failure is kept (the first one is thrown at the end), never stops the rest. */
    private static RuntimeException closeQuietly(Runnable step, RuntimeException first) {
        try {
            step.run();
            return first;
        } catch (RuntimeException e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
            return first;
        }
    }
}
