package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.memory.ReceivePool;
import org.apache.spark.shuffle.efa.reader.ReadPlan.Block;
import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.ShuffleBlockBatchId;
import org.apache.spark.storage.ShuffleBlockId;
import scala.Tuple2;
import scala.collection.AbstractIterator;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * Hands out a reduce task's staged blocks as streams, in order: same-executor map outputs in
 * place, the others through one-sided reads once their indexes are read ({@link IndexReader}),
 * from the buffers {@link HeldPieces} fills ahead. A block larger than a receive buffer streams
 * through a few buffers at a time ({@link BlockStream}); with Spark's batch fetch, a map output's
 * run of blocks is one stream ({@link RunStream}). Blocks whose reads fail before they are handed
 * out for a reason that is not their server's go through Spark's fetcher instead
 * ({@link WithdrawnOutputs}); what a failure becomes for Spark is {@link FetchFailures}' call.
 */
final class FabricBlockIterator extends AbstractIterator<Tuple2<BlockId, InputStream>> {
    /**
     * How often a waiting read looks at what its executor's {@link PeerProbes} know of its serving
     * executors: no I/O, so more often than they ask, and a dead executor is noticed within about
     * one probe interval after the probe that found it.
     */
    private static final long LOOK_NANOS = PeerProbes.INTERVAL_NANOS / 4;

    /** What handing out the next blocks came to, before any of them reached the task. */
    private sealed interface Handout {
        record Stream(Tuple2<BlockId, InputStream> stream) implements Handout {}

        /** Nothing was handed out; the reason decides where the blocks go. */
        record NotHandedOut(RuntimeException reason) implements Handout {}
    }

    /** The fetcher's reports: into the task's read metrics, and Spark's kill check. */
    private final class TaskListener implements RetryingFetcher.Listener {
        @Override
        public void waited(long millis) {
            task.metrics().incFetchWaitTime(millis);
        }

        @Override
        public void retried() {
            counters.increment(ShuffleCounter.RETRIES);
        }

        @Override
        public void interrupted() {
            task.context().killTaskIfInterrupted(); // a killed task ends as Spark's TaskKilledException
        }
    }

    private final ReduceTask task;
    private final ShuffleCounts.Tally counters;
    private final ReceivePool pool;
    private final MemorySegment localMemory;
    private final RetryingFetcher fetcher;
    private final List<MapRead> maps;
    private final WithdrawnOutputs withdrawn;
    private final SegmentLeases leases;
    private final FetchFailures failures;
    private final IndexReader indexReader;
    private final PrefetchWindow window;
    private final boolean batched;
    private final ReleaseGate gate = new ReleaseGate(this::releaseHeld);

    private ReadPlan plan; // null until the indexes are read
    private List<Block> blocks = List.of();
    private HeldPieces held; // null until the indexes are read
    private int nextBlock;

    /**
     * @param task         the reduce task read for
     * @param fabric       this executor's fabric, as the reader needs it
     * @param maps         the staged map outputs to read, each with its blocks in order
     * @param peers        what is known of the serving executors (the executor's {@link PeerProbes})
     * @param sparkFetcher Spark's fetcher for blocks that cannot go over the fabric
     * @param indexes      the executor's shared map-output indexes
     * @param batched      hand out each map output's run of blocks as one stream (Spark's batch fetch)
     */
    FabricBlockIterator(ReduceTask task, ReaderFabric fabric, List<MapRead> maps, RetryingFetcher.Peers peers,
                        WithdrawnOutputs.SparkFetcher sparkFetcher, MapOutputIndexes indexes, boolean batched) {
        this.task = task;
        this.counters = task.counters();
        this.pool = fabric.receivePool();
        this.localMemory = fabric.localMemory();
        ReaderSettings settings = task.settings();
        this.fetcher = new RetryingFetcher(fabric::submit, pool, new ReadRetryPolicy(settings.retries()),
                settings.retryWaitMillis(), settings.timeoutMillis(), LOOK_NANOS, peers, new TaskListener());
        this.maps = new ArrayList<>(maps);
        this.withdrawn = new WithdrawnOutputs(sparkFetcher, counters);
        this.leases = new SegmentLeases(fabric, indexes, fetcher::withdrawn);
        this.failures = new FetchFailures(leases, settings.checksumAlgorithm());
        this.indexReader = new IndexReader(fetcher, pool.bufferSize(), indexes, leases, counters,
                task.metrics()::incFetchWaitTime);
        this.window = new PrefetchWindow(settings.maxBytesInFlight(), () -> pool.total() - pool.quarantinedBuffers());
        this.batched = batched;
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
            while (true) {
                if (!more()) {
                    throw new NoSuchElementException();
                }
                if (nextBlock >= blocks.size()) {
                    return withdrawn.next();
                }
                switch (handOut()) { // nextBlock moves only when a stream is handed out
                    case Handout.Stream s -> {
                        return s.stream();
                    }
                    case Handout.NotHandedOut n -> divert(n.reason());
                }
            }
        } finally {
            gate.exit();
        }
    }

    private boolean more() {
        planOnce();
        while (nextBlock < blocks.size() && withdrawn.contains(blocks.get(nextBlock).map())) {
            nextBlock++; // read through Spark's fetcher instead
        }
        return nextBlock < blocks.size() || withdrawn.hasNext();
    }

    /** A failure before anything of the blocks was handed out: FetchFailed only for the server's fault. */
    private void divert(RuntimeException reason) {
        if (reason instanceof FabricFetchException e) {
            switch (e.fault) {
                case SERVER -> throw failures.fetchFailed(e);
                case WITHDRAWN -> withdraw(e.map);
                case LOCAL -> divertRemoteBlocks(e.getMessage());
            }
        } else {
            divertRemoteBlocks(reason.getMessage()); // the receive pool starved
        }
    }

    /**
     * Every remote block not handed out yet goes through Spark's fetcher (the serving executors
     * serve staged blocks through Netty too), and the buffers this reader holds go back: when the
     * pool starved (waiting for a buffer that readers nobody consumes now hold could last
     * forever), or when this executor's own fabric failed (no server is at fault).
     */
    private void divertRemoteBlocks(String why) {
        blocksNotHandedOut(b -> b.remote() && !withdrawn.contains(b.map()))
                .forEach((m, ids) -> withdrawn.add(m, ids, why));
        held.releaseOf(withdrawn::contains);
    }

    /** A map output withdrawn from the fabric: its blocks not yet handed out go through Spark's fetcher. */
    private void withdraw(MapRead m) {
        withdrawn.add(m, blocksNotHandedOut(b -> b.map() == m).getOrDefault(m, List.of()));
        leases.forget(m.location.segmentName());
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
     * The next block, or with {@code batched} the run of the next blocks of one map output
     * ({@link ReadPlan#runEnd}) as one stream under a {@link ShuffleBlockBatchId}: one
     * decompression stream and one deserialization stream for the run instead of one per block.
     * Every buffer the stream starts with is taken before it is handed out, so a failure or a
     * starved pool until then can still divert it to Spark's fetcher; later blocks of a run open
     * as the stream reaches them.
     */
    private Handout handOut() {
        int from = nextBlock;
        int to = batched ? plan.runEnd(from, Math.max(1, window.reservedBuffers())) : from + 1;
        Block first = blocks.get(from);
        Block last = blocks.get(to - 1);
        BoundedInputStream raw;
        try {
            raw = open(first);
            if (to > from + 1 && last.remote()) {
                held.issueThrough(held.pieceAt(last.end() - 1));
            }
        } catch (FabricFetchException | ReceivePoolStarvedException e) {
            return new Handout.NotHandedOut(e);
        }
        nextBlock = to;
        if (to == from + 1) {
            return new Handout.Stream(new Tuple2<>(first.id(), guarded(first.id(), raw, first.map(), first.length())));
        }
        counters.increment(ShuffleCounter.BATCHED_STREAMS);
        ShuffleBlockBatchId id = new ShuffleBlockBatchId(first.id().shuffleId(), first.id().mapId(),
                first.id().reduceId(), last.id().reduceId() + 1);
        InputStream run = new RunStream(raw, blocks.subList(from + 1, to), this::open, gate, failures);
        long length = blocks.subList(from, to).stream().mapToLong(Block::length).sum(); // no gaps in a run
        return new Handout.Stream(new Tuple2<>(id, guarded(id, run, first.map(), length)));
    }

    private InputStream guarded(BlockId id, InputStream raw, MapRead map, long length) {
        return new CorruptBlockGuard(task.serializers().wrapStream(id, raw), map, id, length, failures);
    }

    /** Opens one block: checked and counted, its bytes in place or its first buffer landed. */
    private BoundedInputStream open(Block b) {
        String algorithm = task.settings().checksumAlgorithm();
        if (!b.remote()) {
            if (b.map().checksums != null) {
                BlockChecksum c = BlockChecksum.of(b, algorithm);
                c.update(b.localBytes());
                if (!c.matches()) {
                    throw failures.checksumFailed(b, c);
                }
            }
            task.metrics().incLocalBlocksFetched(1);
            task.metrics().incLocalBytesRead(b.length());
            counters.add(ShuffleCounter.LOCAL_STAGED_BYTES, b.length());
            return new SegmentInputStream(b.localBytes());
        }
        held.releaseBefore(b.start());
        int k = held.pieceAt(b.start());
        // The buffers a block needs are taken before it is handed out, so reading it does not
        // wait for one halfway, where starving could only end in a FetchFailed. A block wider
        // than a quarter of the pool streams through its buffers instead.
        held.issueThrough(Math.min(held.pieceAt(b.end() - 1), k + window.reservedBuffers() - 1));
        held.await(k);
        BlockChecksum streamed = null;
        if (b.map().checksums != null) {
            if (b.end() <= held.piece(k).end()) {
                BlockChecksum c = held.checkLanded(b, k, algorithm); // checked before anyone deserializes it
                if (!c.matches()) {
                    throw failures.checksumFailed(b, c);
                }
            } else {
                streamed = BlockChecksum.of(b, algorithm); // spans pieces: checked as it streams, at its end
            }
        }
        task.metrics().incRemoteBlocksFetched(1);
        task.metrics().incRemoteBytesRead(b.length());
        counters.increment(ShuffleCounter.FABRIC_BLOCKS);
        counters.add(ShuffleCounter.FABRIC_BYTES, b.length());
        return new BlockStream(b, streamed, held, gate, failures);
    }

    /** Reads the indexes and lays out the plan, once; prefetch starts here. */
    private void planOnce() {
        if (plan != null) {
            return;
        }
        List<MapRead> remote = new ArrayList<>();
        for (MapRead m : maps) {
            if (m.local != null) {
                IndexReader.readLocal(m, localMemory);
            } else {
                remote.add(m);
            }
        }
        while (!remote.isEmpty()) {
            switch (indexReader.read(remote)) {
                case IndexReader.Outcome.Read r -> remote.clear();
                case IndexReader.Outcome.Diverted d -> {
                    remote.forEach(m -> withdrawn.add(m, m.blocks, d.why()));
                    maps.removeAll(remote);
                    remote.clear();
                }
                case IndexReader.Outcome.Withdrawn w -> {
                    // Every output of that executor goes through Spark's fetcher; the others are read again.
                    for (MapRead m : List.copyOf(remote)) {
                        if (m.location.segmentName().equals(w.segment())) {
                            withdrawn.add(m, m.blocks);
                            remote.remove(m);
                            maps.remove(m);
                        }
                    }
                    leases.forget(w.segment());
                }
                case IndexReader.Outcome.Failed f -> throw failures.fetchFailed(f.failure());
            }
        }
        plan = ReadPlan.lay(maps, pool.bufferSize(), localMemory);
        blocks = plan.blocks;
        held = new HeldPieces(plan, fetcher, pool, window, leases, withdrawn::contains, counters);
        held.issueAhead();
    }

    /**
     * Task end (success, failure, kill or early stop), from any thread: every held buffer goes
     * back, now or when its read is released, once no thread is inside the reader ({@link ReleaseGate}).
     */
    void releaseAll() {
        gate.end();
    }

    private void releaseHeld() {
        if (held != null) {
            held.releaseAll();
        }
        leases.closeAll();
    }
}
