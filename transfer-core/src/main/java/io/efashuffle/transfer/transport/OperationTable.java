package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.CompletionQueue;
import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.Fi;
import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The operations of one endpoint, from post to release: each is posted (or waits in the backlog
 * for a credit, in order per peer), completes, fails at its deadline, or fails with its peer or
 * the rail; and is released exactly once, when the provider can no longer write its memory. Its
 * peers' address-vector entries go with it ({@link AddressVectorEntries}). The progress thread's,
 * but for the stall watchdog's {@link #failFromWatchdog}.
 */
final class OperationTable implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OperationTable.class.getName());
    static final int CQ_BATCH = 64;

    /** What posting one operation came to. */
    enum Posting { DONE, AGAIN, NO_CREDIT }

    private final int rail;
    private final RailEndpoint endpoint;
    private final long operationTimeoutNanos;
    private final OperationSlots slots;
    private final ArrayDeque<RmaOperation> backlog = new ArrayDeque<>();
    private final AddressVectorEntries addresses;
    private final GonePeerReads gonePeers;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment cqEntries = arena.allocate(ValueLayout.JAVA_LONG, CQ_BATCH);
    /** Posted operations already failed (deadline, close) that the provider still holds. */
    private int abandonedInFlight;

    private volatile long posted;
    private volatile long completed;
    private volatile long failed;

    OperationTable(int rail, RailEndpoint endpoint, long operationTimeoutNanos) {
        this.rail = rail;
        this.endpoint = endpoint;
        this.operationTimeoutNanos = operationTimeoutNanos;
        this.slots = new OperationSlots(endpoint.credits());
        this.addresses = new AddressVectorEntries(endpoint);
        this.gonePeers = new GonePeerReads(rail);
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

    /** Whether any operation is posted or waits for a credit. */
    boolean holding() {
        return slots.inUse() > 0 || !backlog.isEmpty();
    }

    /**
     * Whether anything can still complete soon: operations failed by their deadline only wait for
     * the provider to let go, which may never happen (shm and a dead peer).
     */
    boolean busy() {
        return slots.inUse() > abandonedInFlight || !backlog.isEmpty();
    }

    /** Whether failed operations are still held by the provider. */
    boolean abandonedHeld() {
        return abandonedInFlight > 0;
    }

    boolean backlogged() {
        return !backlog.isEmpty();
    }

    /** An operation the provider never saw fails (the rail closes before posting it). */
    void failUnposted(RmaOperation op, TransportException error) {
        failed++;
        op.finish(error);
    }

    /** A new operation: posted now, or behind the backlog so each peer's stay in order. */
    void offer(RmaOperation op) {
        if (!backlog.isEmpty() || post(op) != Posting.DONE) {
            backlog.addLast(op);
        }
    }

    /**
     * Posts what waits for a credit, in order per peer. A peer the provider answers -FI_EAGAIN for
     * (rxm while it connects, or cannot, to an endpoint that closed) holds back only its own
     * operations: the others go past it instead of waiting out its deadline behind it.
     *
     * @return how many left the backlog (posted, or finished without a post)
     */
    int postBacklog(int budget) {
        Set<RemotePeer> held = null;
        int done = 0;
        for (Iterator<RmaOperation> it = backlog.iterator(); it.hasNext() && budget-- > 0; ) {
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

    /** Posts one operation, or finishes it when it cannot be posted at all; AGAIN on -FI_EAGAIN. */
    private Posting post(RmaOperation op) {
        if (op.peer.isLost()) {
            failed++;
            op.finish(new PeerLostException(op.describe() + " not posted: peer '" + op.peer.segmentName()
                    + "' was lost earlier", fabric_h.FI_EHOSTUNREACH()));
            return Posting.DONE;
        }
        int slot = slots.acquire(op);
        if (slot < 0) {
            return Posting.NO_CREDIT;
        }
        long rc = endpoint.post(op, slots.context(slot));
        if (rc == 0) {
            posted++;
            // The provider's deadline starts now: time spent waiting for a credit is not its fault.
            op.deadlineNanos = System.nanoTime() + operationTimeoutNanos;
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

    /** Reads the waiting completions: how many. */
    int drainCompletions() {
        return handleReadResult(endpoint.readCompletions(cqEntries, CQ_BATCH));
    }

    /**
     * Blocks up to {@code timeoutMillis} for completions. A wake-up by fi_cq_signal or a timeout is
     * not an error (sockets answers -FI_ECANCELED, others -FI_ETIMEDOUT or -EINTR); real errors show
     * on the next read.
     */
    void awaitCompletions(int timeoutMillis) {
        long n = endpoint.waitCompletions(cqEntries, CQ_BATCH, timeoutMillis);
        if (n > 0 || n == -fabric_h.FI_EAVAIL()) {
            handleReadResult(n);
        }
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
            CompletionQueue.CompletionError e = endpoint.readError();
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
        String message = op.describe() + " failed: " + error.text();
        if (PeerLostException.isConnectionLoss(error.errno())) {
            // This operation's connection broke; the peer may be alive (tcp reconnects on the next
            // post), so only this operation fails: the caller decides whether to try again.
            op.finish(new PeerLostException(message, error.errno()));
        } else {
            op.finish(new TransportException(message, error.errno()));
        }
    }

    /**
     * Fails operations past their deadline. A posted one keeps its slot (and its memory stays
     * unreleased) until the provider lets go; one still waiting for a credit was never posted.
     * A timeout does not mark the peer lost: a paused peer answers later, and a dead one shows as
     * a connection error where the provider can tell; the caller decides what a timeout means.
     * Held reads of shm peers that died are given back ({@link GonePeerReads}).
     */
    void expireOverdue(long now) {
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
            gonePeers.releaseFrom(slots, now);
        }
    }

    private OperationTimeoutException timeout(RmaOperation op, String what) {
        failed++;
        return new OperationTimeoutException(op.describe() + " " + what + " within "
                + TimeUnit.NANOSECONDS.toMillis(operationTimeoutNanos) + " ms (peer '" + op.peer.segmentName() + "')",
                fabric_h.FI_ETIMEDOUT());
    }

    /** Peers' address-vector entries, removed only once no operation to them is held ({@link #inUse}). */
    AddressVectorEntries addresses() {
        return addresses;
    }

    /** After operations let go of their slots: removes the deferred entries nothing holds any more. */
    void removeReleasedPeers() {
        addresses.removeReleased(this::inUse);
    }

    boolean inUse(long fiAddr) {
        for (int i = 0; i < slots.capacity(); i++) {
            RmaOperation op = slots.peek(i);
            if (op != null && addressOf(op) == fiAddr) {
                return true;
            }
        }
        for (RmaOperation op : backlog) {
            if (addressOf(op) == fiAddr) {
                return true;
            }
        }
        return false;
    }

    private long addressOf(RmaOperation op) {
        return op.peer instanceof FabricPeer p ? p.fiAddrPerRail[rail] : -1;
    }

    // ---- ends: close, failure, stall ----

    /** On close: fails the backlog, gives posted operations a bounded time, fails the rest. */
    void drainForClose(TransportException closed, long boundNanos) {
        while (!backlog.isEmpty()) {
            failed++;
            backlog.pollFirst().finish(closed);
        }
        long deadline = System.nanoTime() + boundNanos;
        while (slots.inUse() > 0 && System.nanoTime() - deadline < 0) {
            drainCompletions();
        }
        failInFlight(closed);
    }

    /** The rail failed: every operation fails; posted ones are released when the endpoint closes. */
    void failAll(TransportException error) {
        while (!backlog.isEmpty()) {
            backlog.pollFirst().finish(error);
        }
        failInFlight(error);
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

    /**
     * From the stall watchdog, while the progress thread is stuck inside the provider: every
     * waiting operation gets its outcome, a failure; none is released, since the provider may
     * still write their memory.
     */
    void failFromWatchdog(TransportException error) {
        try {
            // The owner of these is stuck, not changing them; an outcome is reported at most once.
            for (RmaOperation op : backlog) {
                op.complete(error);
            }
            for (int i = 0; i < slots.capacity(); i++) {
                RmaOperation op = slots.peek(i);
                if (op != null) {
                    op.complete(error);
                }
            }
        } catch (ConcurrentModificationException e) {
            // It came back meanwhile and is handling them itself.
        }
    }

    /** After the endpoint closed: every operation still in a slot is released (once). */
    void releaseAll() {
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

    /** The contexts are freed last, after {@link #releaseAll}: no endpoint can write them then. */
    @Override
    public void close() {
        slots.close();
        arena.close();
    }
}
