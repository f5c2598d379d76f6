package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.TransferRequest;
import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Gives a reduce task's map outputs their index ranges and checksums: in place for this
 * executor's own, from the executor's shared {@link MapOutputIndexes} where another task read
 * them, the rest in rounds of batched one-sided reads ({@link IndexReadBudget},
 * {@link IndexBatches}), each checked against the output's published length.
 */
final class IndexReader {
    /** How reading the indexes ended, for the blocks not read yet. */
    sealed interface Outcome {
        /** Every map output has its index. */
        record Read() implements Outcome {}

        /** None can be read over the fabric (this executor's fabric failed, or its pool starved). */
        record Diverted(String why) implements Outcome {}

        /** The serving executor of {@code segment} withdrew its outputs from the fabric. */
        record Withdrawn(String segment) implements Outcome {}

        /** The serving executor failed: a FetchFailed for this map output. */
        record Failed(FabricFetchException failure) implements Outcome {}
    }

    /** A whole index this task reads for the executor's shared indexes. */
    private record WholeRead(MapRead map, MapOutputIndexes.Lookup lookup, MapOutputIndexes.Index index) {}

    /** An index another task of this executor is reading now. */
    private record Awaited(MapRead map, MapOutputIndexes.Lookup lookup) {}

    private final RetryingFetcher fetcher;
    private final long bufferSize;
    private final MapOutputIndexes indexes;
    private final SegmentLeases leases;
    private final ShuffleCounts.Tally counters;
    private final LongConsumer waitedMillis;

    /** @param waitedMillis where waits for other tasks' index reads go (the task's fetch wait) */
    IndexReader(RetryingFetcher fetcher, long bufferSize, MapOutputIndexes indexes, SegmentLeases leases,
                ShuffleCounts.Tally counters, LongConsumer waitedMillis) {
        this.fetcher = fetcher;
        this.bufferSize = bufferSize;
        this.indexes = indexes;
        this.leases = leases;
        this.counters = counters;
        this.waitedMillis = waitedMillis;
    }

    /** A map output staged on this executor: its index range and checksums from {@code localMemory}. */
    static void readLocal(MapRead m, MemorySegment localMemory) {
        m.offsets = new long[m.last() - m.first() + 2];
        for (int i = 0; i < m.offsets.length; i++) {
            m.offsets[i] = m.local.partitionOffset(localMemory, m.first() + i);
        }
        if (m.local.checksumOffset() >= 0) {
            m.checksums = new long[m.offsets.length - 1];
            MemorySegment.copy(localMemory, ValueLayout.JAVA_LONG_UNALIGNED,
                    m.local.extent().offset() + m.local.checksumOffset() + 8L * m.first(), m.checksums, 0,
                    m.checksums.length);
        }
    }

    /**
     * Reads the indexes of {@code remote}: shared ones first, the others in one round of batched
     * reads, then those other tasks are reading right now are waited for. One a reader in another
     * task gave up is tried again here.
     */
    Outcome read(List<MapRead> remote) {
        try {
            List<MapRead> wanted = remote;
            while (!wanted.isEmpty()) {
                wanted = readRound(wanted);
            }
            return new Outcome.Read();
        } catch (ReceivePoolStarvedException e) {
            return new Outcome.Diverted(e.getMessage());
        } catch (FabricFetchException e) {
            return switch (e.fault) {
                case LOCAL -> new Outcome.Diverted(e.getMessage());
                case WITHDRAWN -> new Outcome.Withdrawn(e.map.location.segmentName());
                case SERVER -> new Outcome.Failed(e);
            };
        }
    }

    /**
     * One round: a map's whole index is read (and shared) where it is small enough
     * ({@link MapOutputIndexes#shareable}) and where that adds no batch to those the task's own
     * ranges would need, so it costs no extra round trip; otherwise only the task's range, not
     * shared. Returns the maps whose reader in another task gave them up.
     */
    private List<MapRead> readRound(List<MapRead> wanted) {
        long capacity = bufferSize / 8 * 8;
        IndexReadBudget budget = new IndexReadBudget(capacity,
                wanted.stream().mapToLong(MapRead::rangeIndexBytes).sum());
        List<MapRead> ranged = new ArrayList<>();
        List<WholeRead> mine = new ArrayList<>();
        List<Awaited> theirs = new ArrayList<>();
        for (MapRead m : wanted) {
            budget.next(m.rangeIndexBytes());
            if (m.last() < m.location.numPartitions() && MapOutputIndexes.shareable(m.location, capacity)) {
                long whole = MapOutputIndexes.wholeBytes(m.location);
                MapOutputIndexes.Lookup l = indexes.lookup(m.location, budget.wholeFits(whole));
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
            waitedMillis.accept(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
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
            leases.segmentOf(m);
            m.offsets = new long[m.last() - m.first() + 2];
            packed.add(m, m.offsets, m.location.indexAddress() + 8L * m.first());
            if (m.location.checksumAddress() != 0) {
                m.checksums = new long[m.last() - m.first() + 1];
                packed.add(m, m.checksums, m.location.checksumAddress() + 8L * m.first());
            }
        }
        for (WholeRead w : mine) {
            MapRead m = w.map();
            leases.segmentOf(m);
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
}
