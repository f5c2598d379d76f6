package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.transport.PeerLostException;
import org.apache.spark.TaskContext;
import org.apache.spark.serializer.SerializerManager;
import org.apache.spark.shuffle.FetchFailedException;
import org.apache.spark.shuffle.ShuffleReadMetricsReporter;
import org.apache.spark.shuffle.efa.fabric.ExecutorFabric;
import org.apache.spark.shuffle.efa.fabric.ReceivePool;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.ShuffleBlockId;
import scala.Tuple2;
import scala.collection.AbstractIterator;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Yields a reduce task's staged blocks as streams. Same-executor map outputs are read in place.
 * For the others: one batched round of one-sided index reads, then one-sided data reads that cover
 * each map's requested partitions as one range (split at the receive buffer size) into pooled
 * registered buffers, prefetched up to the bytes-in-flight limit and consumed strictly in order, so
 * a block larger than a receive buffer streams through a few buffers at a time.
 */
final class FabricBlockIterator extends AbstractIterator<Tuple2<BlockId, InputStream>> {

    /** One map output this task reads: its location, and the requested partitions in order. */
    static final class MapRead {
        final MapOutputLocation location;
        final BlockManagerId address;
        final StagedMapOutput local; // non-null: same executor, read in place
        final List<ShuffleBlockId> blocks = new ArrayList<>();
        long[] offsets; // offsets[i] = start of partition (first + i) in the map's data
        long segmentId = -1;

        MapRead(MapOutputLocation location, BlockManagerId address, StagedMapOutput local) {
            this.location = location;
            this.address = address;
            this.local = local;
        }

        int first() {
            return blocks.getFirst().reduceId();
        }

        int last() {
            return blocks.getLast().reduceId();
        }
    }

    private static final class Piece {
        final MapRead map;
        final long remoteAddress;
        final long length;
        final long start; // position in this task's byte sequence
        MemorySegment buffer;
        CompletableFuture<Void> done;
        boolean ready;

        Piece(MapRead map, long remoteAddress, long length, long start) {
            this.map = map;
            this.remoteAddress = remoteAddress;
            this.length = length;
            this.start = start;
        }

        long end() {
            return start + length;
        }
    }

    private record Block(ShuffleBlockId id, MapRead map, long start, long length, MemorySegment localBytes) {}

    private final TaskContext context;
    private final ExecutorFabric fabric;
    private final ReceivePool pool;
    private final SerializerManager serializers;
    private final ShuffleReadMetricsReporter metrics;
    private final FetchCounters counters;
    private final ReaderSettings settings;
    private final List<MapRead> maps;
    private final MemorySegment localArena;

    private final List<Piece> pieces = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private boolean planned;
    private int nextBlock;
    private int nextIssue;
    private int firstHeld; // pieces before this index are released
    private long bytesHeld;

    FabricBlockIterator(TaskContext context, ExecutorFabric fabric, SerializerManager serializers,
                        ShuffleReadMetricsReporter metrics, FetchCounters counters, ReaderSettings settings,
                        List<MapRead> maps) {
        this.context = context;
        this.fabric = fabric;
        this.pool = fabric.receivePool();
        this.serializers = serializers;
        this.metrics = metrics;
        this.counters = counters;
        this.settings = settings;
        this.maps = maps;
        this.localArena = fabric.shuffleMemory() == null ? null : fabric.shuffleMemory().memory();
    }

    @Override
    public boolean hasNext() {
        try {
            plan();
        } catch (FabricFetchException e) {
            throw sneaky(fetchFailed(e));
        }
        return nextBlock < blocks.size();
    }

    @Override
    public Tuple2<BlockId, InputStream> next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException();
        }
        try {
            return yieldBlock();
        } catch (FabricFetchException e) {
            throw sneaky(fetchFailed(e));
        }
    }

    private Tuple2<BlockId, InputStream> yieldBlock() {
        Block b = blocks.get(nextBlock++);
        InputStream raw;
        if (b.localBytes() != null) {
            metrics.incLocalBlocksFetched(1);
            metrics.incLocalBytesRead(b.length());
            counters.localStagedBytes += b.length();
            raw = new SegmentInputStream(b.localBytes());
        } else {
            releaseBefore(b.start());
            await(pieceAt(b.start()));
            metrics.incRemoteBlocksFetched(1);
            metrics.incRemoteBytesRead(b.length());
            counters.fabricBlocks++;
            counters.fabricBytes += b.length();
            raw = new BlockStream(b);
        }
        return new Tuple2<>(b.id(), serializers.wrapStream(b.id(), raw));
    }

    // ---- planning: index reads, then blocks and pieces ----

    private void plan() {
        if (planned) {
            return;
        }
        planned = true;
        List<MapRead> remote = new ArrayList<>();
        for (MapRead m : maps) {
            if (m.local != null) {
                m.offsets = new long[m.last() - m.first() + 2];
                for (int i = 0; i < m.offsets.length; i++) {
                    m.offsets[i] = m.local.partitionOffset(localArena, m.first() + i);
                }
            } else {
                remote.add(m);
            }
        }
        readIndexes(remote);
        long position = 0;
        for (MapRead m : maps) {
            long base = m.offsets[0];
            long rangeEnd = m.offsets[m.offsets.length - 1];
            for (ShuffleBlockId id : m.blocks) {
                int i = id.reduceId() - m.first();
                long len = m.offsets[i + 1] - m.offsets[i];
                if (len <= 0) {
                    continue; // empty in the index: nothing to deserialize
                }
                if (m.local != null) {
                    long at = m.local.extent().offset() + m.offsets[i];
                    blocks.add(new Block(id, m, 0, len, localArena.asSlice(at, len)));
                } else {
                    blocks.add(new Block(id, m, position + (m.offsets[i] - base), len, null));
                }
            }
            if (m.local == null) {
                for (long off = base; off < rangeEnd; off += pool.bufferSize()) {
                    long len = Math.min(pool.bufferSize(), rangeEnd - off);
                    pieces.add(new Piece(m, m.location.dataAddress() + off, len, position + (off - base)));
                }
                position += rangeEnd - base;
            }
        }
        // Same-executor blocks first: they need no waiting while the first data reads are in flight.
        blocks.sort((a, b) -> Boolean.compare(a.localBytes() == null, b.localBytes() == null));
        issueAhead();
    }

    /** Reads every needed index range in batches that fit one receive buffer. */
    private void readIndexes(List<MapRead> remote) {
        int i = 0;
        while (i < remote.size()) {
            MemorySegment buffer = acquireBuffer();
            try {
                List<MapRead> batch = new ArrayList<>();
                List<TransferRequest> requests = new ArrayList<>();
                long used = 0;
                while (i < remote.size()) {
                    MapRead m = remote.get(i);
                    long bytes = 8L * (m.last() - m.first() + 2);
                    if (used + bytes > buffer.byteSize()) {
                        if (batch.isEmpty()) {
                            throw new IllegalStateException("index range of " + bytes + " bytes exceeds the receive "
                                    + "buffer; raise spark.shuffle.efa.receive.bufferSize");
                        }
                        break;
                    }
                    m.segmentId = segment(m);
                    requests.add(TransferRequest.read(buffer.asSlice(used, bytes), m.segmentId,
                            m.location.indexAddress() + 8L * m.first()));
                    batch.add(m);
                    used += bytes;
                    i++;
                }
                Supplier<CompletableFuture<Void>> post = () -> fabric.engine().transferAsync(requests);
                awaitRetrying(batch.getFirst(), "index read of " + requests.size() + " map output(s)", post.get(),
                        post);
                counters.indexReads += requests.size();
                long at = 0;
                for (MapRead m : batch) {
                    m.offsets = new long[m.last() - m.first() + 2];
                    for (int k = 0; k < m.offsets.length; k++) {
                        m.offsets[k] = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, at + 8L * k);
                    }
                    at += 8L * m.offsets.length;
                    validate(m);
                }
            } finally {
                pool.release(buffer);
            }
        }
    }

    private void validate(MapRead m) {
        long[] o = m.offsets;
        for (int k = 1; k < o.length; k++) {
            if (o[k] < o[k - 1] || o[k] > m.location.dataLength() || o[0] < 0) {
                throw new FabricFetchException(m, "index of map " + m.location.mapIndex() + " (attempt "
                        + m.location.mapId() + ") on executor " + m.location.executorId()
                        + " is inconsistent with its published length " + m.location.dataLength(), null);
            }
        }
    }

    private long segment(MapRead m) {
        try {
            return fabric.segment(m.location.segmentName());
        } catch (RuntimeException e) {
            throw new FabricFetchException(m, "cannot open segment " + m.location.segmentName() + ": "
                    + e.getMessage(), e);
        }
    }

    private MemorySegment acquireBuffer() {
        try {
            MemorySegment b = pool.acquire(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
            if (b == null) {
                throw new IllegalStateException("no receive buffer became free within " + settings.timeoutMillis()
                        + " ms (" + pool.total() + " buffers shared by this executor's tasks); raise "
                        + "spark.shuffle.efa.receive.poolSize");
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a receive buffer", e);
        }
    }

    // ---- data pieces: issue ahead, await in order, release behind ----

    private void issue(Piece p, MemorySegment buffer) {
        p.buffer = buffer;
        bytesHeld += p.length;
        if (p.map.segmentId < 0) {
            p.map.segmentId = segment(p.map);
        }
        post(p);
    }

    /** Posts (or re-posts) a piece's read into its buffer. */
    private CompletableFuture<Void> post(Piece p) {
        p.done = fabric.engine().transferAsync(List.of(
                TransferRequest.read(p.buffer.asSlice(0, p.length), p.map.segmentId, p.remoteAddress)));
        counters.dataReads++;
        return p.done;
    }

    private void issueAhead() {
        while (nextIssue < pieces.size()) {
            Piece p = pieces.get(nextIssue);
            if (bytesHeld > 0 && bytesHeld + p.length > settings.maxBytesInFlight()) {
                return;
            }
            MemorySegment b = pool.tryAcquire();
            if (b == null) {
                return;
            }
            issue(p, b);
            nextIssue++;
        }
    }

    private int pieceAt(long position) {
        int lo = firstHeld, hi = pieces.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (pieces.get(mid).start <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Waits until piece {@code k} holds its bytes, issuing it (and retrying it) as needed. */
    private Piece await(int k) {
        while (nextIssue <= k) {
            issue(pieces.get(nextIssue), acquireBuffer());
            nextIssue++;
        }
        Piece p = pieces.get(k);
        if (!p.ready) {
            awaitRetrying(p.map, "read of " + p.length + " bytes", p.done, () -> post(p));
            p.ready = true;
        }
        issueAhead();
        return p;
    }

    /**
     * Waits for an operation, re-posting it after a transient failure; a lost peer or the last
     * failed attempt ends in a {@link FabricFetchException} for {@code map}. The wait counts as
     * fetch wait time, as Spark's fetcher counts it.
     *
     * @param posted the operation's future; {@code repost} posts it again and returns the new one
     */
    private void awaitRetrying(MapRead map, String what, CompletableFuture<Void> posted,
                               Supplier<CompletableFuture<Void>> repost) {
        CompletableFuture<Void> done = posted;
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                done.get(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (attempt > settings.retries() || cause instanceof PeerLostException) {
                    throw new FabricFetchException(map, "fabric " + what + " from map " + map.location.mapIndex()
                            + " on executor " + map.location.executorId() + " failed after " + attempt
                            + " attempt(s): " + cause, cause);
                }
                counters.retries++;
                sleep(settings.retryWaitMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a fabric " + what, e);
            } finally {
                metrics.incFetchWaitTime(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
            done = repost.get();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Gives back buffers of pieces that end at or before {@code position}. */
    private void releaseBefore(long position) {
        while (firstHeld < nextIssue && pieces.get(firstHeld).end() <= position) {
            release(pieces.get(firstHeld++));
        }
    }

    private void release(Piece p) {
        if (p.buffer == null) {
            return;
        }
        if (!p.ready) {
            // The NIC may still be writing into it: wait for the operation to end before reuse.
            try {
                p.done.get(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException ignored) {
                // failed operations no longer touch the buffer
            } catch (TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                p.buffer = null; // not provably idle: leave it out of the pool rather than risk reuse
                bytesHeld -= p.length;
                return;
            }
        }
        pool.release(p.buffer);
        p.buffer = null;
        bytesHeld -= p.length;
    }

    /** Task end (success, failure or early stop): every held buffer goes back. */
    void releaseAll() {
        for (int k = firstHeld; k < nextIssue; k++) {
            release(pieces.get(k));
        }
        firstHeld = nextIssue;
    }

    /** Turns a fabric failure into the FetchFailedException Spark recomputes the map output from. */
    FetchFailedException fetchFailed(FabricFetchException e) {
        MapRead m = e.map;
        fabric.forgetSegment(m.location.segmentName());
        return new FetchFailedException(m.address, m.location.shuffleId(), m.location.mapId(), m.location.mapIndex(),
                m.first(), e.getMessage(), e);
    }

    /** One block's bytes across the pieces that hold them, pulled in order. */
    private final class BlockStream extends BoundedInputStream {
        private final Block block;

        BlockStream(Block block) {
            super(block.length());
            this.block = block;
        }

        @Override
        int copy(long position, byte[] b, int off, int len) {
            long global = block.start() + position;
            Piece p;
            try {
                p = await(pieceAt(global));
            } catch (FabricFetchException e) {
                throw sneaky(fetchFailed(e));
            }
            int n = (int) Math.min(len, p.end() - global);
            MemorySegment.copy(p.buffer, ValueLayout.JAVA_BYTE, global - p.start, b, off, n);
            releaseBefore(global + n);
            return n;
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
