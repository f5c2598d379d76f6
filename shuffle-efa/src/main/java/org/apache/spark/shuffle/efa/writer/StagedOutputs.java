package org.apache.spark.shuffle.efa.writer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor's committed in-memory map outputs, by shuffle and map task attempt id. Memory is
 * given back only when the shuffle is unregistered or the executor stops: a one-sided reader is
 * invisible to this side, so nothing it may still read is ever reused earlier.
 */
public final class StagedOutputs {
    private final ShuffleArena arena;
    private final Map<Integer, Map<Long, StagedMapOutput>> byShuffle = new ConcurrentHashMap<>();

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

    /** Frees a shuffle's outputs; returns how many map outputs were freed. */
    public int removeShuffle(int shuffleId) {
        Map<Long, StagedMapOutput> m = byShuffle.remove(shuffleId);
        if (m == null) {
            return 0;
        }
        for (StagedMapOutput o : m.values()) {
            arena.release(o.extent());
        }
        return m.size();
    }
}
