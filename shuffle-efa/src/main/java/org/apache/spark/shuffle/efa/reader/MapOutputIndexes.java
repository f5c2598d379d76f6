package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.MapOutputLocation;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Whole map-output indexes (partition offsets and, where present, Spark's per-partition checksums)
 * of remote map outputs, read once per executor by the first reduce task that needs one and shared
 * by its other tasks, which then need no index read at all. One per executor runtime.
 *
 * <p>A task that asks for an index nobody has yet gets the duty to read it ({@link Lookup#mine});
 * tasks asking meanwhile wait for that one read. A read that fails is not cached: its waiters get
 * the failure (each then handles it as its own), and a read the reader gave up without a failure
 * of its own (another map of its batch failed) lets its waiters read it themselves. Only validated
 * indexes are cached; least recently used ones are dropped beyond {@code capacityBytes}, and all of
 * a shuffle's when it is removed, all of a segment's when its executor is forgotten. A new map
 * attempt has a new map id, so a recomputed output never meets an old entry.
 */
public final class MapOutputIndexes {
    /** Default bound: 64 MiB of offsets and checksums per executor. */
    public static final long DEFAULT_CAPACITY_BYTES = 64L << 20;

    /**
     * Largest index (offsets and checksums) read whole and shared. Up to this size, reading the
     * whole index costs a task no more than its own range in practice (one fi_read either way);
     * beyond it (tens of thousands of partitions) a task with a small range would read mostly
     * bytes it never uses, so such indexes are read per task, by range.
     */
    static final long WHOLE_INDEX_LIMIT = 64L << 10;

    /** One map output's whole index: {@code offsets[p]} starts partition p, {@code offsets[n]} ends the data. Never modified. */
    record Index(long[] offsets, long[] checksums) {
        /** Arrays for a location's whole index, to be read into. */
        static Index empty(MapOutputLocation l) {
            return new Index(new long[l.numPartitions() + 1], l.checksumAddress() != 0 ? new long[l.numPartitions()] : null);
        }

        long bytes() {
            return 8L * (offsets.length + (checksums == null ? 0 : checksums.length));
        }
    }

    private static final class Entry {
        final CompletableFuture<Index> read = new CompletableFuture<>(); // null result: given up, read it yourself
        long bytes; // > 0 once cached
    }

    private final long capacityBytes;
    private final LinkedHashMap<MapOutputLocation, Entry> entries = new LinkedHashMap<>(64, 0.75f, true); // guarded by this
    private long cachedBytes; // guarded by this

    public MapOutputIndexes() {
        this(DEFAULT_CAPACITY_BYTES);
    }

    MapOutputIndexes(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Bytes of the index of {@code partitions} partitions: their offsets and end, plus their checksums. */
    static long indexBytes(int partitions, boolean checksummed) {
        return 8L * (partitions + 1) + (checksummed ? 8L * partitions : 0);
    }

    /** Bytes of a location's whole index: offsets, plus checksums when it has them. */
    static long wholeBytes(MapOutputLocation l) {
        return indexBytes(l.numPartitions(), l.checksumAddress() != 0);
    }

    /** Whether a location's index is small enough to be read whole and shared (and fits one receive buffer). */
    static boolean shareable(MapOutputLocation l, long bufferSize) {
        return wholeBytes(l) <= Math.min(WHOLE_INDEX_LIMIT, bufferSize);
    }

    /** A task's part in one map output's index. */
    final class Lookup {
        private final MapOutputLocation location;
        private final Entry entry; // null: not cached and not claimed
        /** The caller reads this index, then calls {@link #cache}, {@link #fail} or {@link #abandon}. */
        final boolean mine;
        private boolean settled;

        private Lookup(MapOutputLocation location, Entry entry, boolean mine) {
            this.location = location;
            this.entry = entry;
            this.mine = mine;
        }

        /** The index, if read already; null if it is being read (or nobody reads it). */
        Index ready() {
            return entry != null && entry.read.isDone() && !entry.read.isCompletedExceptionally()
                    ? entry.read.getNow(null) : null;
        }

        /** Whether nobody reads it and the caller did not claim it: the caller reads its own range. */
        boolean unclaimed() {
            return entry == null;
        }

        /**
         * Waits for another task's read of it: the index, or null if that task gave it up (read
         * it yourself). Throws that task's failure, wrapped.
         */
        Index await() throws InterruptedException, ExecutionException {
            return entry.read.get();
        }

        /** The caller read and validated it: shared from now on (unless removed meanwhile or too large). */
        void cache(Index index) {
            settle(() -> {
                if (entries.get(location) == entry && index.bytes() <= capacityBytes) {
                    entry.bytes = index.bytes();
                    cachedBytes += entry.bytes;
                    evictBeyondCapacity();
                } else {
                    entries.remove(location, entry);
                }
            });
            entry.read.complete(index);
        }

        /** The caller's read of it failed (or it is invalid): not cached, its waiters get {@code failure}. */
        void fail(Throwable failure) {
            settle(() -> entries.remove(location, entry));
            entry.read.completeExceptionally(failure);
        }

        /** The caller gave it up without a failure of its own: its waiters read it themselves. No-op once settled. */
        void abandon() {
            if (!settled) {
                settle(() -> entries.remove(location, entry));
                entry.read.complete(null);
            }
        }

        private void settle(Runnable underLock) {
            if (!mine || settled) {
                throw new IllegalStateException("index of " + location + " is not this reader's to settle");
            }
            settled = true;
            synchronized (MapOutputIndexes.this) {
                underLock.run();
            }
        }
    }

    /**
     * The cached or in-flight index of {@code location}; if there is none and {@code claim}, the
     * caller's duty to read it ({@link Lookup#mine}), otherwise an unclaimed lookup.
     */
    synchronized Lookup lookup(MapOutputLocation location, boolean claim) {
        Entry e = entries.get(location);
        if (e != null) {
            return new Lookup(location, e, false);
        }
        if (!claim) {
            return new Lookup(location, null, false);
        }
        e = new Entry();
        entries.put(location, e);
        return new Lookup(location, e, true);
    }

    /** Drops a removed shuffle's indexes. */
    public void removeShuffle(int shuffleId) {
        removeIf(l -> l.shuffleId() == shuffleId);
    }

    /** Drops the indexes read from a forgotten (failed or withdrawn) executor's segment. */
    public void forgetSegment(String segmentName) {
        removeIf(l -> l.segmentName().equals(segmentName));
    }

    /** Bytes of indexes cached now. */
    synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Number of indexes cached or being read. */
    synchronized int size() {
        return entries.size();
    }

    private synchronized void removeIf(Predicate<MapOutputLocation> which) {
        // In-flight entries go too: their reader's cache() then finds them gone and keeps nothing.
        Iterator<Map.Entry<MapOutputLocation, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<MapOutputLocation, Entry> e = it.next();
            if (which.test(e.getKey())) {
                cachedBytes -= e.getValue().bytes;
                it.remove();
            }
        }
    }

    private void evictBeyondCapacity() {
        Iterator<Entry> it = entries.values().iterator(); // least recently used first
        while (cachedBytes > capacityBytes && it.hasNext()) {
            Entry e = it.next();
            if (e.bytes > 0) { // in-flight entries are not counted and stay
                cachedBytes -= e.bytes;
                it.remove();
            }
        }
    }
}
