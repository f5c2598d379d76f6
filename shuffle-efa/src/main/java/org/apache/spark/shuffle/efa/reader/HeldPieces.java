package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.TransferRequest;
import org.apache.spark.shuffle.efa.memory.ReceivePool;
import org.apache.spark.shuffle.efa.reader.ReadPlan.Block;
import org.apache.spark.shuffle.efa.reader.ReadPlan.Piece;
import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.Predicate;

/**
 * The receive buffers a reduce task holds for its plan's pieces: issued ahead as the
 * {@link PrefetchWindow} allows, awaited strictly in order, given back behind the reader. A buffer
 * goes back to the pool only when the provider has let go of the read that used it; a read that
 * cannot be posted is issued again, and its failure judged, where it is awaited.
 */
final class HeldPieces implements BlockStream.LandedBytes {
    /** A piece's read in flight or landed: the receive buffer it holds until released. */
    private static final class Held {
        final RetryingFetcher.Landing landing;
        boolean ready;

        Held(RetryingFetcher.Landing landing) {
            this.landing = landing;
        }
    }

    private final ReadPlan plan;
    private final List<Piece> pieces;
    private final RetryingFetcher fetcher;
    private final ReceivePool pool;
    private final PrefetchWindow window;
    private final SegmentLeases leases;
    private final Predicate<MapRead> skipped;
    private final ShuffleCounts.Tally counters;
    private final Held[] held; // held[k]: piece k's buffer, while issued and not released
    private int nextIssue;
    private int firstHeld; // pieces before this index are released
    private long bytesHeld;

    /** @param skipped map outputs read through Spark's fetcher instead: their pieces are never issued */
    HeldPieces(ReadPlan plan, RetryingFetcher fetcher, ReceivePool pool, PrefetchWindow window, SegmentLeases leases,
               Predicate<MapRead> skipped, ShuffleCounts.Tally counters) {
        this.plan = plan;
        this.pieces = plan.pieces;
        this.fetcher = fetcher;
        this.pool = pool;
        this.window = window;
        this.leases = leases;
        this.skipped = skipped;
        this.counters = counters;
        this.held = new Held[pieces.size()];
    }

    /** The piece that holds byte {@code position} of the task's byte sequence. */
    int pieceAt(long position) {
        return plan.pieceAt(position, firstHeld);
    }

    Piece piece(int k) {
        return pieces.get(k);
    }

    /** Issues pieces ahead while the window and the pool allow; never waits, never fails. */
    void issueAhead() {
        while (nextIssue < pieces.size()) {
            Piece p = pieces.get(nextIssue);
            if (skipped.test(p.map())) {
                nextIssue++;
                continue;
            }
            if (!window.mayIssue(bytesHeld, p.length(), pool.freeBuffers())) {
                return;
            }
            MemorySegment b = pool.tryAcquire();
            if (b == null) {
                return;
            }
            try {
                issueNext(b);
            } catch (FabricFetchException e) {
                return; // prefetch only: the piece is issued again, and the failure judged, when it is awaited
            }
        }
    }

    /** Issues every piece up to {@code k}, waiting (bounded) for buffers the prefetch did not get. */
    void issueThrough(int k) {
        while (nextIssue <= k) {
            if (skipped.test(pieces.get(nextIssue).map())) {
                nextIssue++;
            } else {
                issueNext(fetcher.acquireBuffer());
            }
        }
    }

    /**
     * Issues the next piece into {@code buffer}. If it cannot be posted, the buffer goes back
     * (nothing was posted into it) and the piece stays the next to issue.
     */
    private void issueNext(MemorySegment buffer) {
        Piece p = pieces.get(nextIssue);
        RetryingFetcher.Landing landing = fetcher.landing(p.map(), buffer);
        try {
            leases.segmentOf(p.map());
            landing.post(b -> dataRequest(p, b));
        } catch (RuntimeException e) {
            landing.release();
            throw e;
        }
        held[nextIssue++] = new Held(landing);
        bytesHeld += p.length();
        counters.increment(ShuffleCounter.DATA_READS);
    }

    private static List<TransferRequest> dataRequest(Piece p, MemorySegment buffer) {
        return List.of(TransferRequest.read(buffer.asSlice(0, p.length()), p.map().segmentId, p.remoteAddress()));
    }

    /** Waits until piece {@code k} holds its bytes, issuing (and retrying) it as needed; returns its buffer. */
    MemorySegment await(int k) {
        issueThrough(k);
        Piece p = pieces.get(k);
        Held h = held[k];
        if (!h.ready) {
            fetcher.await(List.of(p.map()), "read of " + p.length() + " bytes", h.landing,
                    buffer -> dataRequest(p, buffer));
            h.ready = true;
        }
        issueAhead();
        return h.landing.buffer;
    }

    /**
     * Whether block {@code b}, wholly inside landed piece {@code k}, has its checksum. A mismatch is
     * read once more, as Spark re-fetches a corrupt block once; a second one is corruption at the source.
     */
    BlockChecksum checkLanded(Block b, int k, String algorithm) {
        Piece p = pieces.get(k);
        RetryingFetcher.Landing landing = held[k].landing;
        BlockChecksum c = checksumOf(b, k, algorithm);
        if (!c.matches()) {
            fetcher.reread(p.map(), "re-read of " + p.length() + " bytes", landing, buffer -> dataRequest(p, buffer));
            c = checksumOf(b, k, algorithm);
        }
        return c;
    }

    private BlockChecksum checksumOf(Block b, int k, String algorithm) {
        BlockChecksum c = BlockChecksum.of(b, algorithm);
        c.update(held[k].landing.buffer.asSlice(b.start() - pieces.get(k).start(), b.length()));
        return c;
    }

    @Override
    public int copy(long position, byte[] b, int off, int len) {
        int k = pieceAt(position);
        MemorySegment buffer = await(k);
        Piece p = pieces.get(k);
        int n = (int) Math.min(len, p.end() - position);
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, position - p.start(), b, off, n);
        return n;
    }

    /** Gives back buffers of pieces that end at or before {@code position}. */
    @Override
    public void releaseBefore(long position) {
        while (firstHeld < nextIssue && pieces.get(firstHeld).end() <= position) {
            release(firstHeld++);
        }
    }

    /** Gives back the buffers of issued pieces of the map outputs {@code which} selects. */
    void releaseOf(Predicate<MapRead> which) {
        for (int k = firstHeld; k < nextIssue; k++) {
            if (which.test(pieces.get(k).map())) {
                release(k);
            }
        }
    }

    /** Task end: every held buffer goes back, now or when its read is released. */
    void releaseAll() {
        for (int k = firstHeld; k < nextIssue; k++) {
            release(k);
        }
        firstHeld = nextIssue;
    }

    /** Never waits: a buffer whose read the provider still holds returns to the pool when released. */
    private void release(int k) {
        Held h = held[k];
        if (h == null) {
            return;
        }
        h.landing.release();
        held[k] = null;
        bytesHeld -= pieces.get(k).length();
    }
}
