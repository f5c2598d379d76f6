package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.Transfer;
import io.efashuffle.transfer.engine.TransferRequest;
import org.apache.spark.TaskContext;
import org.apache.spark.serializer.SerializerManager;
import org.apache.spark.shuffle.FetchFailedException;
import org.apache.spark.shuffle.ShuffleReadMetricsReporter;
import org.apache.spark.shuffle.efa.memory.ExecutorFabric;
import org.apache.spark.shuffle.efa.memory.PeerSegments;
import org.apache.spark.shuffle.efa.memory.ReceivePool;
import org.apache.spark.shuffle.efa.reader.ReadPlan.Block;
import org.apache.spark.shuffle.efa.reader.ReadPlan.Piece;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.ShuffleBlockBatchId;
import org.apache.spark.storage.ShuffleBlockId;
import scala.Tuple2;
import scala.collection.AbstractIterator;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Yields a reduce task's staged blocks as streams. Same-executor map outputs are read in place.
 * For the others: their indexes from the executor's shared {@link MapOutputIndexes}, the missing
 * ones in one batched round of one-sided index reads ({@link IndexReadBudget}, {@link IndexBatches}),
 * then the one-sided data reads of the task's {@link ReadPlan}, prefetched as the
 * {@link PrefetchWindow} allows and consumed strictly in order, so a block larger than a receive
 * buffer streams through a few buffers at a time.
 *
 * <p>A receive buffer goes back to the pool only when the provider has let go of the read that
 * used it ({@link Transfer#released()}); a read that failed or timed out is re-posted into another
 * buffer, and a task that ends or is killed mid-read hands its buffers back without waiting.
 */
final class FabricBlockIterator extends AbstractIterator<Tuple2<BlockId, InputStream>> {

    /** A piece's read in flight or landed: the receive buffer it holds until released. */
    private static final class Held {
        final RetryingFetcher.Landing landing;
        boolean ready;

        Held(RetryingFetcher.Landing landing) {
            this.landing = landing;
        }
    }

    /**
     * How often a waiting read looks at what its executor's {@link PeerProbes} know of its serving
     * executors: no I/O, so more often than they ask, and a dead executor is noticed within about
     * one probe interval after the probe that found it.
     */
    private static final long LOOK_NANOS = PeerProbes.INTERVAL_NANOS / 4;

    /** The fetcher's reports: into the task's read metrics, and Spark's kill check. */
    private final class TaskListener implements RetryingFetcher.Listener {
        @Override
        public void waited(long millis) {
            metrics.incFetchWaitTime(millis);
        }

        @Override
        public void retried() {
            counters.increment(ShuffleCounter.RETRIES);
        }

        @Override
        public void interrupted() {
            context.killTaskIfInterrupted(); // a killed task ends as Spark's TaskKilledException
        }
    }

    private final TaskContext context;
    private final ExecutorFabric fabric;
    private final ReceivePool pool;
    private final SerializerManager serializers;
    private final ShuffleReadMetricsReporter metrics;
    private final ShuffleCounts.Tally counters;
    private final ReaderSettings settings;
    private final RetryingFetcher fetcher;
    private final List<MapRead> maps;
    private final MemorySegment localArena;
    private final WithdrawnOutputs withdrawn;
    private final MapOutputIndexes indexes;
    private final boolean batched;

    private final PrefetchWindow window;

    private ReadPlan plan; // null until the indexes are read
    private List<ReadPlan.Block> blocks = List.of();
    private List<ReadPlan.Piece> pieces = List.of();
    private Held[] held; // held[k]: piece k's buffer, while issued and not released
    private int nextBlock;
    private int nextIssue;
    private int firstHeld; // pieces before this index are released
    private long bytesHeld;
    /** This task's holds on peers' segments, by name (current) and all of them (closed at task end). */
    private final Map<String, PeerSegments.Lease> leases = new HashMap<>();
    private final List<PeerSegments.Lease> leasesHeld = new ArrayList<>();
    private final ReleaseGate gate = new ReleaseGate(this::releaseHeld);

    /**
     * @param peers          what is known of the serving executors (the executor's {@link PeerProbes})
     * @param sparkFetcher   Spark's fetcher for blocks of outputs withdrawn while this task read
     * @param indexes        the executor's shared map-output indexes
     * @param batched        hand out each map output's run of blocks as one stream (Spark's batch fetch)
     */
    FabricBlockIterator(TaskContext context, ExecutorFabric fabric, SerializerManager serializers,
                        ShuffleReadMetricsReporter metrics, ShuffleCounts.Tally counters, ReaderSettings settings,
                        List<MapRead> maps, RetryingFetcher.Peers peers,
                        WithdrawnOutputs.SparkFetcher sparkFetcher, MapOutputIndexes indexes,
                        boolean batched) {
        this.context = context;
        this.fabric = fabric;
        this.pool = fabric.receivePool();
        this.serializers = serializers;
        this.metrics = metrics;
        this.counters = counters;
        this.settings = settings;
        this.fetcher = new RetryingFetcher(fabric.engine()::submitAsync, pool, new ReadRetryPolicy(settings.retries()),
                settings.retryWaitMillis(), settings.timeoutMillis(), LOOK_NANOS, peers, new TaskListener());
        this.maps = new ArrayList<>(maps);
        this.withdrawn = new WithdrawnOutputs(sparkFetcher, counters);
        this.indexes = indexes;
        this.batched = batched;
        this.localArena = fabric.shuffleMemory() == null ? null : fabric.shuffleMemory().memory();
        this.window = new PrefetchWindow(settings.maxBytesInFlight(), () -> pool.total() - pool.quarantinedBuffers());
    }

    @Override
    public boolean hasNext() {
        gate.enter();
        try {
            return more();
        } finally {
            gate.exit();
        }
    }

    @Override
    public Tuple2<BlockId, InputStream> next() {
        gate.enter();
        try {
            return nextInside();
        } finally {
            gate.exit();
        }
    }

    private boolean more() {
        try {
            plan();
        } catch (FabricFetchException e) {
            throw sneaky(fetchFailed(e));
        }
        while (nextBlock < blocks.size() && withdrawn.contains(blocks.get(nextBlock).map())) {
            nextBlock++; // read through Spark's fetcher instead
        }
        return nextBlock < blocks.size() || withdrawn.hasNext();
    }

    private Tuple2<BlockId, InputStream> nextInside() {
        if (!more()) {
            throw new java.util.NoSuchElementException();
        }
        if (nextBlock >= blocks.size()) {
            return withdrawn.next();
        }
        int from = nextBlock;
        try {
            return yieldBlock();
        } catch (FabricFetchException e) {
            nextBlock = from; // nothing of what failed was handed out
            switch (e.fault) {
                case SERVER -> throw sneaky(fetchFailed(e));
                case WITHDRAWN -> withdraw(e.map);
                case LOCAL -> divertRemoteBlocks(e.getMessage());
            }
            return nextInside();
        } catch (ReceivePoolStarvedException e) {
            nextBlock = from; // not handed out either
            divertRemoteBlocks(e.getMessage());
            return nextInside();
        }
    }

    /**
     * Every remote block not handed out yet goes through Spark's fetcher (the serving executors
     * serve staged blocks through Netty too), and the buffers this reader holds go back: when the
     * pool starved (waiting for a buffer that readers nobody consumes now hold could last
     * forever), or when this executor's own fabric failed (no server is at fault).
     */
    private void divertRemoteBlocks(String why) {
        blocksNotHandedOut(b -> b.localBytes() == null && !withdrawn.contains(b.map()))
                .forEach((m, ids) -> withdrawn.add(m, ids, why));
        for (int k = firstHeld; k < nextIssue; k++) {
            if (withdrawn.contains(pieces.get(k).map())) {
                release(k);
            }
        }
    }

    /** A map output withdrawn from the fabric: its blocks not yet handed out go through Spark's fetcher. */
    private void withdraw(MapRead m) {
        withdrawn.add(m, blocksNotHandedOut(b -> b.map() == m).getOrDefault(m, List.of()));
        forget(m.location.segmentName());
    }

    /** The blocks not handed out yet that {@code which} selects, by map output, in order. */
    private Map<MapRead, List<ShuffleBlockId>> blocksNotHandedOut(Predicate<Block> which) {
        Map<MapRead, List<ShuffleBlockId>> rest = new LinkedHashMap<>();
        for (int k = nextBlock; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (which.test(b)) {
                rest.computeIfAbsent(b.map(), m -> new ArrayList<>()).add(b.id());
            }
        }
        return rest;
    }

    /**
     * Forgets a peer's segment after a failure, and the indexes read from it. Maps not yet opened
     * take a new lease; those already reading keep theirs until the task ends.
     */
    private void forget(String segment) {
        leases.remove(segment);
        fabric.forgetSegment(segment);
        indexes.forgetSegment(segment);
    }

    /**
     * Hands out the next block, or with {@code batched} the run of the next blocks of one map
     * output ({@link ReadPlan#runEnd}) as one stream under a {@link ShuffleBlockBatchId}: one
     * decompression stream and one deserialization stream for the run instead of one per block.
     * Only the first block is opened here, so a failure before anything is handed out can still
     * divert it to Spark's fetcher; the others open as the stream reaches them.
     */
    private Tuple2<BlockId, InputStream> yieldBlock() {
        int from = nextBlock;
        int to = batched ? plan.runEnd(from, Math.max(1, window.reservedBuffers())) : from + 1;
        Block first = blocks.get(nextBlock++);
        BoundedInputStream raw = open(first);
        if (to == from + 1) {
            return new Tuple2<>(first.id(), new CorruptBlockGuard(serializers.wrapStream(first.id(), raw), first.map(),
                    first.id(), first.length()));
        }
        Block last = blocks.get(to - 1);
        if (last.remote()) {
            // Every buffer of the run is taken before any of it is handed out, as open() does for
            // one block: a pool that starves now sends the run to Spark's fetcher instead.
            issueThrough(pieceAt(last.end() - 1));
        }
        nextBlock = to;
        counters.increment(ShuffleCounter.BATCHED_STREAMS);
        ShuffleBlockBatchId id = new ShuffleBlockBatchId(first.id().shuffleId(), first.id().mapId(),
                first.id().reduceId(), last.id().reduceId() + 1);
        InputStream run = new RunStream(raw, from + 1, to);
        long length = blocks.subList(from, to).stream().mapToLong(Block::length).sum(); // no gaps in a run
        return new Tuple2<>(id, new CorruptBlockGuard(serializers.wrapStream(id, run), first.map(), id, length));
    }

    /** Opens one block: checked and counted, its bytes in place or its first buffer landed. */
    private BoundedInputStream open(Block b) {
        if (b.localBytes() != null) {
            if (b.map().checksums != null) {
                BlockChecksum c = checksumOf(b);
                c.update(b.localBytes());
                if (!c.matches()) {
                    throw corrupt(b, c);
                }
            }
            metrics.incLocalBlocksFetched(1);
            metrics.incLocalBytesRead(b.length());
            counters.add(ShuffleCounter.LOCAL_STAGED_BYTES, b.length());
            return new SegmentInputStream(b.localBytes());
        }
        releaseBefore(b.start());
        int k = pieceAt(b.start());
        // The buffers a block needs are taken before it is handed out, so reading it does not
        // wait for one halfway, where starving could only end in a FetchFailed. A block wider
        // than a quarter of the pool streams through its buffers instead.
        issueThrough(Math.min(pieceAt(b.end() - 1), k + window.reservedBuffers() - 1));
        await(k);
        BlockChecksum streamed = null;
        if (b.map().checksums != null) {
            if (b.end() <= pieces.get(k).end()) {
                verifyLanded(b, k); // whole block landed: checked before anyone deserializes it
            } else {
                streamed = checksumOf(b); // spans pieces: checked as it streams, at its end
            }
        }
        metrics.incRemoteBlocksFetched(1);
        metrics.incRemoteBytesRead(b.length());
        counters.increment(ShuffleCounter.FABRIC_BLOCKS);
        counters.add(ShuffleCounter.FABRIC_BYTES, b.length());
        return new BlockStream(b, streamed);
    }

    /**
     * The blocks of a run, one after another: the next opens when the one before is at its end.
     * Part of the run is handed out by then ({@link #failedHandedOut}).
     */
    private final class RunStream extends InputStream {
        private final int end;
        private int next;
        private BoundedInputStream current;

        RunStream(BoundedInputStream first, int next, int end) {
            this.current = first;
            this.next = next;
            this.end = end;
        }

        @Override
        public int read() {
            while (true) {
                int c = current.read();
                if (c >= 0 || !advance()) {
                    return c;
                }
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (true) {
                int n = current.read(b, off, len);
                if (n > 0 || !advance()) {
                    return n;
                }
            }
        }

        @Override
        public int available() {
            return current.available();
        }

        private boolean advance() {
            gate.enter();
            try {
                return advanceInside();
            } finally {
                gate.exit();
            }
        }

        private boolean advanceInside() {
            if (next >= end) {
                return false;
            }
            Block b = blocks.get(next++);
            try {
                current = open(b);
            } catch (FabricFetchException | ReceivePoolStarvedException e) {
                throw failedHandedOut(b.map(), e);
            }
            return true;
        }
    }

    // ---- integrity: Spark's per-partition checksums ----

    private BlockChecksum checksumOf(Block b) {
        return new BlockChecksum(settings.checksumAlgorithm(), b.map().checksums[b.id().reduceId() - b.map().first()]);
    }

    /**
     * Checks a block that lies in one landed piece. A mismatch is read once more (a transfer can go
     * wrong where a source cannot), as Spark re-fetches a corrupt block once; a second mismatch is
     * corruption at the source: FetchFailed, so Spark recomputes the map output.
     */
    private void verifyLanded(Block b, int k) {
        Piece p = pieces.get(k);
        RetryingFetcher.Landing landing = held[k].landing;
        for (int attempt = 1; ; attempt++) {
            BlockChecksum c = checksumOf(b);
            c.update(landing.buffer.asSlice(b.start() - p.start(), b.length()));
            if (c.matches()) {
                return;
            }
            if (attempt == 2) {
                throw corrupt(b, c);
            }
            counters.increment(ShuffleCounter.RETRIES);
            landing.post(buffer -> dataRequest(p, buffer));
            fetcher.await(List.of(p.map()), "re-read of " + p.length() + " bytes", landing,
                    buffer -> dataRequest(p, buffer));
        }
    }

    private FabricFetchException corrupt(Block b, BlockChecksum c) {
        MapOutputLocation l = b.map().location;
        return new FabricFetchException(b.map(), "block " + b.id() + " (" + b.length() + " bytes) from executor "
                + l.executorId() + " failed its " + settings.checksumAlgorithm() + " checksum (expected "
                + c.expected() + ", read " + c.value() + "): its map output is corrupt", null);
    }

    // ---- planning: index reads, then blocks and pieces ----

    private void plan() {
        if (plan != null) {
            return;
        }
        List<MapRead> remote = new ArrayList<>();
        for (MapRead m : maps) {
            if (m.local != null) {
                m.offsets = new long[m.last() - m.first() + 2];
                for (int i = 0; i < m.offsets.length; i++) {
                    m.offsets[i] = m.local.partitionOffset(localArena, m.first() + i);
                }
                if (m.local.checksumOffset() >= 0) {
                    m.checksums = new long[m.offsets.length - 1];
                    MemorySegment.copy(localArena, ValueLayout.JAVA_LONG_UNALIGNED,
                            m.local.extent().offset() + m.local.checksumOffset() + 8L * m.first(), m.checksums, 0,
                            m.checksums.length);
                }
            } else {
                remote.add(m);
            }
        }
        while (true) {
            try {
                readIndexes(remote);
                break;
            } catch (ReceivePoolStarvedException e) {
                divertAll(remote, e.getMessage());
                break;
            } catch (FabricFetchException e) {
                if (e.fault == FabricFetchException.Fault.LOCAL) {
                    divertAll(remote, e.getMessage());
                    break;
                }
                if (e.fault == FabricFetchException.Fault.SERVER) {
                    throw e;
                }
                // Every output of that executor goes through Spark's fetcher; the others are read again.
                String segment = e.map.location.segmentName();
                for (MapRead m : List.copyOf(remote)) {
                    if (m.location.segmentName().equals(segment)) {
                        withdrawn.add(m, m.blocks);
                        remote.remove(m);
                        maps.remove(m);
                    }
                }
                forget(segment);
            }
        }
        plan = ReadPlan.lay(maps, pool.bufferSize(), localArena);
        blocks = plan.blocks;
        pieces = plan.pieces;
        held = new Held[pieces.size()];
        issueAhead();
    }

    /** Every one of {@code remote} goes through Spark's fetcher before any of its blocks is read. */
    private void divertAll(List<MapRead> remote, String why) {
        for (MapRead m : remote) {
            withdrawn.add(m, m.blocks, why);
            maps.remove(m);
        }
        remote.clear();
    }

    /** A whole index this task reads for the executor's shared indexes. */
    private record WholeRead(MapRead map, MapOutputIndexes.Lookup lookup, MapOutputIndexes.Index index) {}

    /** An index another task of this executor is reading now. */
    private record Awaited(MapRead map, MapOutputIndexes.Lookup lookup) {}

    /**
     * Gives every remote map its index range and checksums: from the executor's shared indexes
     * where another task read them; the others in one round of batched reads; then those other
     * tasks are reading right now are waited for. One a reader gave up is tried again here.
     */
    private void readIndexes(List<MapRead> remote) {
        List<MapRead> wanted = remote;
        while (!wanted.isEmpty()) {
            wanted = readIndexRound(wanted);
        }
    }

    /**
     * One round: a map's whole index is read (and shared) where it is small enough
     * ({@link MapOutputIndexes#shareable}) and where that adds no batch to those the task's own
     * ranges would need, so it costs no extra round trip; otherwise the task's range, as before,
     * not shared. Returns the maps whose reader in another task gave them up.
     */
    private List<MapRead> readIndexRound(List<MapRead> maps) {
        long capacity = pool.bufferSize() / 8 * 8;
        IndexReadBudget budget = new IndexReadBudget(capacity, maps.stream().mapToLong(MapRead::rangeIndexBytes).sum());
        List<MapRead> ranged = new ArrayList<>();
        List<WholeRead> mine = new ArrayList<>();
        List<Awaited> theirs = new ArrayList<>();
        for (MapRead m : maps) {
            budget.next(m.rangeIndexBytes());
            MapOutputIndexes.Lookup l = null;
            if (m.last() < m.location.numPartitions() && MapOutputIndexes.shareable(m.location, capacity)) {
                long whole = MapOutputIndexes.wholeBytes(m.location);
                l = indexes.lookup(m.location, budget.wholeFits(whole));
                MapOutputIndexes.Index cached = l.ready();
                if (cached != null) {
                    take(m, cached);
                    continue;
                }
                if (l.mine) {
                    mine.add(new WholeRead(m, l, MapOutputIndexes.Index.empty(m.location)));
                    budget.spend(whole);
                    continue;
                }
                if (!l.unclaimed()) {
                    theirs.add(new Awaited(m, l));
                    continue;
                }
            }
            ranged.add(m);
            budget.spend(m.rangeIndexBytes());
        }
        try {
            readBatches(ranged, mine, capacity);
        } catch (RuntimeException | Error t) {
            // The map whose read failed: its waiters see the failure. The others of the batch are
            // not at fault: their waiters read them themselves.
            for (WholeRead w : mine) {
                if (t instanceof FabricFetchException e && e.map == w.map()) {
                    w.lookup().fail(e);
                } else {
                    w.lookup().abandon();
                }
            }
            throw t;
        }
        FabricFetchException invalid = null;
        for (WholeRead w : mine) {
            try {
                validate(w.map(), w.index().offsets());
            } catch (FabricFetchException e) {
                w.lookup().fail(e); // a corrupt index is never shared as good
                invalid = invalid == null ? e : invalid;
                continue;
            }
            w.lookup().cache(w.index());
            take(w.map(), w.index());
        }
        if (invalid != null) {
            throw invalid;
        }
        for (MapRead m : ranged) {
            validate(m, m.offsets);
        }
        List<MapRead> again = new ArrayList<>();
        for (Awaited a : theirs) {
            MapOutputIndexes.Index index = awaitOther(a);
            if (index == null) {
                again.add(a.map());
            } else {
                take(a.map(), index);
            }
        }
        return again;
    }

    /** This task's range of a whole index. */
    private static void take(MapRead m, MapOutputIndexes.Index index) {
        m.offsets = Arrays.copyOfRange(index.offsets(), m.first(), m.last() + 2);
        m.checksums = index.checksums() == null ? null
                : Arrays.copyOfRange(index.checksums(), m.first(), m.last() + 1);
    }

    /** Waits for another task's read of an index; its failure becomes this task's, for its own map. */
    private MapOutputIndexes.Index awaitOther(Awaited a) {
        long t0 = System.nanoTime();
        try {
            return a.lookup().await();
        } catch (InterruptedException e) {
            throw fetcher.interrupted(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            FabricFetchException.Fault fault = cause instanceof FabricFetchException f ? f.fault
                    : FabricFetchException.Fault.SERVER;
            throw new FabricFetchException(a.map(), String.valueOf(cause.getMessage()), cause, fault);
        } finally {
            metrics.incFetchWaitTime(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    /**
     * Reads the ranges of {@code ranged} and the whole indexes of {@code mine} in batches that fit
     * {@code capacity} bytes (a receive buffer, whole longs) each; an index wider than a buffer
     * (a wide AQE range, a small buffer) is split across batches.
     */
    private void readBatches(List<MapRead> ranged, List<WholeRead> mine, long capacity) {
        IndexBatches packed = new IndexBatches(capacity);
        for (MapRead m : ranged) {
            m.segmentId = segment(m);
            m.offsets = new long[m.last() - m.first() + 2];
            packed.add(m, m.offsets, m.location.indexAddress() + 8L * m.first());
            if (m.location.checksumAddress() != 0) {
                m.checksums = new long[m.last() - m.first() + 1];
                packed.add(m, m.checksums, m.location.checksumAddress() + 8L * m.first());
            }
        }
        for (WholeRead w : mine) {
            MapRead m = w.map();
            m.segmentId = segment(m);
            packed.add(m, w.index().offsets(), m.location.indexAddress());
            if (w.index().checksums() != null) {
                packed.add(m, w.index().checksums(), m.location.checksumAddress());
            }
        }
        for (List<IndexBatches.Chunk> batch : packed.batches) {
            RetryingFetcher.Landing landing = fetcher.landing(batch.getFirst().map());
            try {
                List<MapRead> targets = batch.stream().map(IndexBatches.Chunk::map).toList();
                Function<MemorySegment, List<TransferRequest>> requests = buffer -> indexRequests(batch, buffer);
                landing.post(requests);
                fetcher.await(targets, "index read of " + batch.size() + " map output(s)", landing, requests);
                counters.add(ShuffleCounter.INDEX_READS, targets.stream().distinct().count()); // map outputs whose index was read
                long at = 0;
                for (IndexBatches.Chunk c : batch) {
                    MemorySegment.copy(landing.buffer, ValueLayout.JAVA_LONG_UNALIGNED, at, c.into(), c.from(),
                            c.count());
                    at += c.bytes();
                }
            } finally {
                landing.release();
            }
        }
    }

    private static List<TransferRequest> indexRequests(List<IndexBatches.Chunk> batch, MemorySegment buffer) {
        List<TransferRequest> requests = new ArrayList<>(batch.size());
        long at = 0;
        for (IndexBatches.Chunk c : batch) {
            requests.add(TransferRequest.read(buffer.asSlice(at, c.bytes()), c.map().segmentId, c.remoteAddress()));
            at += c.bytes();
        }
        return requests;
    }

    /** Offsets must rise and stay within the published data length. */
    private static void validate(MapRead m, long[] o) {
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
            String name = m.location.segmentName();
            PeerSegments.Lease lease = leases.get(name);
            if (lease == null) {
                lease = fabric.leaseSegment(name);
                leases.put(name, lease);
                leasesHeld.add(lease);
            }
            return lease.segmentId();
        } catch (RuntimeException e) {
            throw FabricFetchException.of(m, "cannot open segment " + m.location.segmentName() + ": "
                    + e.getMessage(), e, fetcher.withdrawn(m));
        }
    }

    // ---- data pieces: issue ahead, await in order, release behind ----

    /**
     * Issues the next piece into {@code buffer}. If it cannot be posted, the buffer goes back
     * (nothing was posted into it) and the piece stays the next to issue, so the failure comes
     * again, and is judged, where the piece is awaited.
     */
    private void issueNext(MemorySegment buffer) {
        Piece p = pieces.get(nextIssue);
        RetryingFetcher.Landing landing = fetcher.landing(p.map(), buffer);
        try {
            if (p.map().segmentId < 0) {
                p.map().segmentId = segment(p.map());
            }
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

    private void issueAhead() {
        while (nextIssue < pieces.size()) {
            Piece p = pieces.get(nextIssue);
            if (withdrawn.contains(p.map())) {
                nextIssue++; // read through Spark's fetcher
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

    private int pieceAt(long position) {
        return plan.pieceAt(position, firstHeld);
    }

    /** Issues every piece up to {@code k}, waiting (bounded) for buffers the prefetch did not get. */
    private void issueThrough(int k) {
        while (nextIssue <= k) {
            if (withdrawn.contains(pieces.get(nextIssue).map())) {
                nextIssue++;
            } else {
                issueNext(fetcher.acquireBuffer());
            }
        }
    }

    /** Waits until piece {@code k} holds its bytes, issuing it (and retrying it) as needed. */
    private Held await(int k) {
        issueThrough(k);
        Piece p = pieces.get(k);
        Held h = held[k];
        if (!h.ready) {
            fetcher.await(List.of(p.map()), "read of " + p.length() + " bytes", h.landing,
                    buffer -> dataRequest(p, buffer));
            h.ready = true;
        }
        issueAhead();
        return h;
    }

    /** Gives back buffers of pieces that end at or before {@code position}. */
    private void releaseBefore(long position) {
        while (firstHeld < nextIssue && pieces.get(firstHeld).end() <= position) {
            release(firstHeld++);
        }
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

    /**
     * Task end (success, failure, kill or early stop), from any thread: every held buffer goes
     * back, now or when its read is released, once no thread is inside the reader ({@link ReleaseGate}).
     */
    void releaseAll() {
        gate.end();
    }

    private void releaseHeld() {
        for (int k = firstHeld; k < nextIssue; k++) {
            release(k);
        }
        firstHeld = nextIssue;
        leases.clear();
        leasesHeld.forEach(PeerSegments.Lease::close);
        leasesHeld.clear();
    }

    /** Turns a fabric failure into the FetchFailedException Spark recomputes the map output from. */
    FetchFailedException fetchFailed(FabricFetchException e) {
        MapRead m = e.map;
        forget(m.location.segmentName());
        return new FetchFailedException(m.address, m.location.shuffleId(), m.location.mapId(), m.location.mapIndex(),
                m.first(), e.getMessage(), e);
    }

    /**
     * A read failure once part of a stream is handed out, which can no longer go to Spark's
     * fetcher instead. The serving executor's fault is a FetchFailed for its map output. Any other
     * cause (this executor's own fabric failed, the output was withdrawn, the pool starved) leaves
     * the server healthy and serving: the task fails without naming it, and Spark runs it again.
     */
    private RuntimeException failedHandedOut(MapRead map, RuntimeException e) {
        if (e instanceof FabricFetchException f && f.serverAtFault()) {
            return sneaky(fetchFailed(f));
        }
        return new IllegalStateException("a stream of map " + map.location.mapIndex() + " (shuffle "
                + map.location.shuffleId() + ") from executor " + map.location.executorId() + " was partly read when "
                + e.getMessage() + "; that executor is not at fault, so the task fails (Spark runs it again) "
                + "without a FetchFailed against it", e);
    }

    /**
     * A block whose bytes cannot be decompressed or read is corrupt, as Spark's fetcher treats it
     * (spark.shuffle.detectCorrupt): FetchFailed for its map output, so Spark recomputes it, not a
     * plain task failure that fails the job after four attempts. Decompression usually notices a
     * damaged block before its checksum can be compared at its end.
     */
    private final class CorruptBlockGuard extends java.io.FilterInputStream {
        private final MapRead map;
        private final BlockId id;
        private final long length;

        CorruptBlockGuard(InputStream in, MapRead map, BlockId id, long length) {
            super(in);
            this.map = map;
            this.id = id;
            this.length = length;
        }

        @Override
        public int read() {
            try {
                return super.read();
            } catch (java.io.IOException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return super.read(b, off, len);
            } catch (java.io.IOException e) {
                throw corrupt(e);
            }
        }

        @Override
        public long skip(long n) {
            try {
                return super.skip(n);
            } catch (java.io.IOException e) {
                throw corrupt(e);
            }
        }

        private RuntimeException corrupt(java.io.IOException e) {
            return sneaky(fetchFailed(new FabricFetchException(map, "block " + id + " (" + length
                    + " bytes) from executor " + map.location.executorId() + " could not be read (" + e
                    + "): its map output is corrupt", e)));
        }
    }

    /** One block's bytes across the pieces that hold them, pulled in order. */
    private final class BlockStream extends BoundedInputStream {
        private final Block block;
        private final BlockChecksum checksum; // null: checked already, or the output has none
        private long consumed;

        BlockStream(Block block, BlockChecksum checksum) {
            super(block.length());
            this.block = block;
            this.checksum = checksum;
        }

        @Override
        int copy(long position, byte[] b, int off, int len) {
            gate.enter();
            try {
                return copyInside(position, b, off, len);
            } finally {
                gate.exit();
            }
        }

        private int copyInside(long position, byte[] b, int off, int len) {
            long global = block.start() + position;
            int k;
            Held h;
            try {
                k = pieceAt(global);
                h = await(k);
            } catch (FabricFetchException | ReceivePoolStarvedException e) {
                throw failedHandedOut(block.map(), e);
            }
            Piece p = pieces.get(k);
            int n = (int) Math.min(len, p.end() - global);
            MemorySegment.copy(h.landing.buffer, ValueLayout.JAVA_BYTE, global - p.start(), b, off, n);
            if (checksum != null && position == consumed) {
                checksum.update(b, off, n);
                consumed += n;
                if (consumed == block.length() && !checksum.matches()) {
                    throw sneaky(fetchFailed(corrupt(block, checksum)));
                }
            }
            releaseBefore(global + n);
            return n;
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
