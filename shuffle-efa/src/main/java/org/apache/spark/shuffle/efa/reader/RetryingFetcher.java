package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.Transfer;
import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.transport.RailFailedException;
import io.efashuffle.transfer.transport.TransportException;
import org.apache.spark.shuffle.efa.memory.ReceivePool;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Posts one-sided reads into pooled receive buffers and waits for them, retrying as
 * {@link ReadRetryPolicy} says. Owns the rule that keeps data intact: a buffer goes back to the
 * pool only when the provider has let go of the read that used it ({@link Transfer#released()}),
 * so a read re-posted after a failure or timeout lands in another buffer, and a buffer handed
 * back while its read is still held is quarantined until then. Nothing here ever waits to give a
 * buffer back, so a killed task cannot keep one.
 */
final class RetryingFetcher {
    /**
     * Longest wait for a free receive buffer. Buffers come back within milliseconds while their
     * readers are consumed; a longer wait means they are held by readers nobody consumes now (the
     * other side of a join in the same task), which may never end.
     */
    static final long STARVATION_MILLIS = 2_000;

    /** Posts reads: the executor's transfer engine ({@code submitAsync}). */
    interface Submitter {
        Transfer submit(List<TransferRequest> requests);
    }

    /** What is known of a map output's serving executor ({@link PeerProbes}, shared by the executor's reads). */
    interface Peers {
        /** The newest answer, never waiting: a waiting read looks at it often. */
        PeerState latest(MapRead map);

        /** An answer no older than the probe interval, waiting (bounded) for one: after a failed read. */
        PeerState fresh(MapRead map);
    }

    /** Where waits, retries and interrupts go: the reduce task's metrics and its kill check. */
    interface Listener {
        void waited(long millis);

        void retried();

        /** The wait was interrupted; a killed task throws its own exception here. */
        void interrupted();
    }

    private final Submitter submitter;
    private final ReceivePool pool;
    private final ReadRetryPolicy policy;
    private final long retryWaitMillis;
    private final long timeoutMillis;
    private final long lookNanos;
    private final Peers peers;
    private final Listener listener;

    /**
     * @param timeoutMillis longest wait for one attempt's outcome or for a free buffer
     * @param lookNanos     how often a waiting read looks at what is known of its serving
     *                      executors (no I/O: {@code peers} asks, at its own rate)
     */
    RetryingFetcher(Submitter submitter, ReceivePool pool, ReadRetryPolicy policy, long retryWaitMillis,
                    long timeoutMillis, long lookNanos, Peers peers, Listener listener) {
        this.submitter = submitter;
        this.pool = pool;
        this.policy = policy;
        this.retryWaitMillis = retryWaitMillis;
        this.timeoutMillis = timeoutMillis;
        this.lookNanos = lookNanos;
        this.peers = peers;
        this.listener = listener;
    }

    /**
     * Whether {@code map}'s executor withdrew it from the fabric and still serves it through
     * Spark's block transfer: the driver no longer lists its segment, and its block manager still
     * answers. The driver also drops the segment of a dead executor; that is a FetchFailed.
     */
    boolean withdrawn(MapRead map) {
        return peers.fresh(map) == PeerState.WITHDRAWN;
    }

    /** A receive buffer and the read landing in it. */
    final class Landing {
        private final MapRead map; // blamed if this executor's own fabric fails
        MemorySegment buffer;
        Transfer transfer;

        private Landing(MapRead map, MemorySegment buffer) {
            this.map = map;
            this.buffer = buffer;
        }

        /** Posts reads into this landing's buffer, first swapping a buffer a provider may still write. */
        Transfer post(Function<MemorySegment, List<TransferRequest>> requests) {
            if (transfer != null && !transfer.isReleased()) {
                pool.releaseWhen(buffer, transfer.released());
                buffer = null; // handed over: if acquiring throws, release() must not return it twice
                buffer = acquireBuffer();
            }
            try {
                transfer = submitter.submit(requests.apply(buffer));
            } catch (TransportException | IllegalStateException e) {
                // This executor's fabric failed (its runtime falls back for later tasks): no read
                // can be posted. No server is at fault; the reader goes through Spark's fetcher.
                throw new FabricFetchException(map, "this executor's fabric cannot read any more: " + e.getMessage(),
                        e, FabricFetchException.Fault.LOCAL);
            }
            return transfer;
        }

        /** Hands the buffer back now, or when the provider lets go of its read. */
        void release() {
            if (buffer == null) {
                return;
            }
            if (transfer == null) {
                pool.release(buffer);
            } else {
                pool.releaseWhen(buffer, transfer.released());
            }
            buffer = null;
        }
    }

    /** A landing with a buffer from the pool (waiting for one if need be). */
    Landing landing(MapRead map) {
        return new Landing(map, acquireBuffer());
    }

    Landing landing(MapRead map, MemorySegment buffer) {
        return new Landing(map, buffer);
    }

    /**
     * A free receive buffer, waiting for one at most {@link #STARVATION_MILLIS} (or the fetch
     * timeout, if shorter); throws {@link ReceivePoolStarvedException} when none became free.
     */
    MemorySegment acquireBuffer() {
        long wait = Math.min(timeoutMillis, STARVATION_MILLIS);
        try {
            MemorySegment b = pool.acquire(wait, TimeUnit.MILLISECONDS);
            if (b == null) {
                throw new ReceivePoolStarvedException("no receive buffer became free within " + wait + " ms ("
                        + pool.total() + " buffers shared by this executor's tasks, " + pool.quarantinedBuffers()
                        + " held by reads a provider has not released); a larger spark.shuffle.efa.receive.poolSize "
                        + "keeps these blocks on the fabric");
            }
            return b;
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    RuntimeException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        listener.interrupted();
        return new IllegalStateException("interrupted while waiting for a fabric read", e);
    }

    /** Why a wait ended early: the map whose executor is gone or withdrew it. */
    private record Stop(MapRead map, boolean withdrawn) {}

    /**
     * Waits for the landing's posted read, re-posting it after a transient failure or timeout. A
     * lost peer, a serving executor that is gone, or the last failed attempt ends in a
     * {@link FabricFetchException} for the map whose request failed; one whose executor withdrew
     * its outputs, or a failure of this executor's own rail, says so (the caller reads through
     * Spark's block transfer instead), without retries or blame.
     * The wait counts as fetch wait time, as Spark's fetcher counts it.
     *
     * @param targets the map each request of {@code requests} reads from, in order
     */
    void await(List<MapRead> targets, String what, Landing landing,
               Function<MemorySegment, List<TransferRequest>> requests) {
        for (int attempt = 1; ; attempt++) {
            Transfer t = landing.transfer;
            RuntimeException failure;
            MapRead culprit;
            boolean withdrawn;
            boolean gone;
            long t0 = System.nanoTime();
            try {
                Stop stop = waitFor(t, targets);
                if (stop == null) {
                    return;
                }
                culprit = stop.map();
                withdrawn = stop.withdrawn();
                gone = !withdrawn;
                failure = null;
            } catch (ExecutionException e) {
                culprit = targets.get(ReadRetryPolicy.culprit(targets.size(), i -> t.error(i) != null, t::isDone));
                failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                if (RailFailedException.isCauseOf(failure)) {
                    throw new FabricFetchException(culprit, "fabric " + what + " stopped: this executor's own fabric "
                            + "failed (" + failure.getMessage() + ")", failure, FabricFetchException.Fault.LOCAL);
                }
                // A dead executor's outputs are withdrawn too (the driver removes its segment): that
                // is a FetchFailed now, not a detour through Spark's fetcher to find it dead again.
                PeerState state = peers.fresh(culprit);
                gone = state == PeerState.GONE;
                withdrawn = state == PeerState.WITHDRAWN;
            } catch (InterruptedException e) {
                throw interrupted(e);
            } finally {
                listener.waited(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
            String where = "fabric " + what + " from map " + culprit.location.mapIndex() + " on executor "
                    + culprit.location.executorId();
            if (withdrawn) {
                throw new FabricFetchException(culprit, where + " stopped: executor " + culprit.location.executorId()
                        + " withdrew its outputs from the fabric (its fabric failed)", failure,
                        FabricFetchException.Fault.WITHDRAWN);
            }
            if (gone) {
                throw new FabricFetchException(culprit, where + " failed: executor " + culprit.location.executorId()
                        + " is gone (its block manager at " + culprit.address.hostPort()
                        + " refuses connections)", failure);
            }
            if (!policy.retry(attempt, failure)) {
                throw new FabricFetchException(culprit, where + " failed after " + attempt + " attempt(s): "
                        + failure, failure);
            }
            listener.retried();
            sleep(retryWaitMillis);
            landing.post(requests);
        }
    }

    /**
     * Reads a landed piece once more, into the same landing (a fresh buffer if the provider still
     * holds the old one), as Spark re-fetches a block once whose checksum did not match: a transfer
     * can go wrong where the source cannot. Counts as a retry.
     */
    void reread(MapRead map, String what, Landing landing, Function<MemorySegment, List<TransferRequest>> requests) {
        listener.retried();
        landing.post(requests);
        await(List.of(map), what, landing, requests);
    }

    /**
     * Waits for a transfer's outcome, looking while it waits at whether its serving executors are
     * still there and still publish what it reads. Returns null on success, or why it stopped;
     * throws the transfer's failure, or a timeout after {@code fetch.timeout}.
     */
    private Stop waitFor(Transfer t, List<MapRead> targets)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                t.done().get(Math.max(0, Math.min(left, lookNanos)), TimeUnit.NANOSECONDS);
                return null;
            } catch (TimeoutException e) {
                Set<String> looked = new HashSet<>(); // once per serving executor and look
                for (int i = 0; i < targets.size(); i++) {
                    MapRead m = targets.get(i);
                    if (t.isDone(i) || !looked.add(m.location.segmentName())) {
                        continue;
                    }
                    PeerState state = peers.latest(m);
                    if (state != PeerState.SERVING) {
                        return new Stop(m, state == PeerState.WITHDRAWN);
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new ExecutionException(new TimeoutException(
                            "no answer within spark.shuffle.efa.fetch.timeout (" + timeoutMillis + " ms)"));
                }
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }
}
