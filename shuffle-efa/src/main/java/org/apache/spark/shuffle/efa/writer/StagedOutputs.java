package org.apache.spark.shuffle.efa.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor's committed in-memory map outputs, by shuffle and map task attempt id. Memory is
 * given back only when the shuffle is unregistered or the executor stops: a one-sided reader is
 * invisible to this side, so nothing it may still read is ever reused earlier. An output whose
 * blocks Spark is still serving ({@link StagedBlockBuffer}) keeps its memory until they are let go.
 */
public final class StagedOutputs {
    private final ShuffleArena arena;
    private final Map<Integer, Map<Long, StagedMapOutput>> byShuffle = new ConcurrentHashMap<>();
    // guarded by this: buffers handed out per output (an output removed while served is freed by the last)
    private final Map<StagedMapOutput, Integer> served = new IdentityHashMap<>();

    public StagedOutputs(ShuffleArena arena) {
        this.arena = arena;
    }

    public ShuffleArena arena() {
        return arena;
    }

    void add(StagedMapOutput output) {
        byShuffle.computeIfAbsent(output.shuffleId(), k -> new ConcurrentHashMap<>()).put(output.mapId(), output);
    }

    public StagedMapOutput get(int shuffleId, long mapId) {
        Map<Long, StagedMapOutput> m = byShuffle.get(shuffleId);
        return m == null ? null : m.get(mapId);
    }

    /** The staged outputs of one shuffle (a snapshot). */
    public List<StagedMapOutput> outputs(int shuffleId) {
        Map<Long, StagedMapOutput> m = byShuffle.get(shuffleId);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /** Every committed output, of every shuffle (a snapshot). */
    public List<StagedMapOutput> all() {
        List<StagedMapOutput> all = new ArrayList<>();
        byShuffle.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    public long count() {
        return byShuffle.values().stream().mapToLong(Map::size).sum();
    }

    /**
     * Partitions {@code [from, to)} of {@code out} as a buffer for Spark to serve, holding the
     * output's memory until the buffer is let go; null when the output's shuffle was removed.
     */
    public StagedBlockBuffer serve(StagedMapOutput out, int from, int to) {
        synchronized (this) {
            if (get(out.shuffleId(), out.mapId()) != out) {
                return null;
            }
            served.merge(out, 1, Integer::sum);
        }
        try {
            return new StagedBlockBuffer(out.partitions(arena.memory(), from, to).asByteBuffer(), () -> unhold(out));
        } catch (RuntimeException e) {
            unhold(out);
            throw e;
        }
    }

    private synchronized void unhold(StagedMapOutput out) {
        if (served.merge(out, -1, Integer::sum) == 0) {
            served.remove(out);
            if (get(out.shuffleId(), out.mapId()) != out) { // its shuffle was removed meanwhile
                arena.release(out.extent());
            }
        }
    }

    /** How many served buffers are not let go yet. */
    public synchronized int servedBuffers() {
        return served.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Waits up to {@code timeout} for every served buffer to be let go; false if some are still held. */
    public boolean awaitServed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (servedBuffers() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * Frees a shuffle's outputs; returns how many map outputs were removed. Memory of an output
     * whose blocks are still being served is freed when the last of them is let go.
     */
    public synchronized int removeShuffle(int shuffleId) {
        Map<Long, StagedMapOutput> m = byShuffle.remove(shuffleId);
        if (m == null) {
            return 0;
        }
        for (StagedMapOutput o : m.values()) {
            if (!served.containsKey(o)) {
                arena.release(o.extent());
            }
        }
        return m.size();
    }
}
