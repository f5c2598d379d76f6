package org.apache.spark.shuffle.efa.reader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A reduce task's holds on the peers' segments it reads: one lease per segment name, taken at the
 * first read of it and all given back at the task's end. A segment forgotten after a failure is
 * looked up afresh by the next map output that reads it; reads already posted keep theirs.
 */
final class SegmentLeases {
    private final ReaderFabric fabric;
    private final MapOutputIndexes indexes;
    private final Predicate<MapRead> withdrawn;
    private final Map<String, ReaderFabric.SegmentLease> current = new HashMap<>();
    private final List<ReaderFabric.SegmentLease> taken = new ArrayList<>();

    /**
     * @param indexes   the executor's shared indexes: a forgotten segment's are forgotten too
     * @param withdrawn whether a map output's executor withdrew it (asked when its segment cannot be opened)
     */
    SegmentLeases(ReaderFabric fabric, MapOutputIndexes indexes, Predicate<MapRead> withdrawn) {
        this.fabric = fabric;
        this.indexes = indexes;
        this.withdrawn = withdrawn;
    }

    /** The id reads of {@code m} address, opening its segment at the first one. */
    long segmentOf(MapRead m) {
        if (m.segmentId >= 0) {
            return m.segmentId;
        }
        String name = m.location.segmentName();
        try {
            ReaderFabric.SegmentLease lease = current.get(name);
            if (lease == null) {
                lease = fabric.leaseSegment(name);
                current.put(name, lease);
                taken.add(lease);
            }
            m.segmentId = lease.segmentId();
            return m.segmentId;
        } catch (RuntimeException e) {
            throw FabricFetchException.of(m, "cannot open segment " + name + ": " + e.getMessage(), e,
                    withdrawn.test(m));
        }
    }

    /**
     * Forgets a peer's segment after a failure, and the indexes read from it. Maps not yet opened
     * take a new lease; those already reading keep theirs until the task ends.
     */
    void forget(String segment) {
        current.remove(segment);
        fabric.forgetSegment(segment);
        indexes.forgetSegment(segment);
    }

    /** The task ended: every lease goes back. */
    void closeAll() {
        current.clear();
        taken.forEach(ReaderFabric.SegmentLease::close);
        taken.clear();
    }
}
