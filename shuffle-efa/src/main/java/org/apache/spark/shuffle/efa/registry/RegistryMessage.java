package org.apache.spark.shuffle.efa.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What executors and the driver registry say to each other (encoded by {@link RegistryCodec}). */
public sealed interface RegistryMessage {
    record PublishSegment(String executorId, byte[] descriptor) implements RegistryMessage {}

    record RemoveSegment(String segmentName) implements RegistryMessage {}

    record LookupSegment(String segmentName) implements RegistryMessage {}

    /** Reply to {@link LookupSegment}: an empty descriptor means unknown. */
    record SegmentReply(byte[] descriptor) implements RegistryMessage {}

    record PublishMapOutput(MapOutputLocation location) implements RegistryMessage {}

    /** The entries of these map indexes only (a reader's cache misses), not the whole shuffle's. */
    record LookupMapOutputs(int shuffleId, List<Integer> mapIndexes) implements RegistryMessage {}

    /**
     * Reply to {@link LookupMapOutputs}: the entries found; an index without one is not staged,
     * unless it is in {@code notYetServable}: staged, but its server has not inserted the asker's
     * address yet ({@code peers.insertAhead}), so the asker reads it through Spark's fetcher for
     * now and asks again later.
     */
    record ShuffleLocations(int shuffleId, List<MapOutputLocation> locations, List<Integer> notYetServable)
            implements RegistryMessage {
        public ShuffleLocations {
            locations = List.copyOf(locations);
            notYetServable = List.copyOf(notYetServable);
        }

        public ShuffleLocations(int shuffleId, List<MapOutputLocation> locations) {
            this(shuffleId, locations, List.of());
        }
    }

    /**
     * Reply to a {@link LookupMapOutputs} that asks for most of a shuffle, as every executor's first
     * reduce task does: the shuffle's whole location table, which the driver encodes once for all
     * askers until the shuffle changes ({@link RegistryCodec#encodeTable}), and the segments whose
     * outputs are not yet servable to this asker. The driver's cost per asker is then a copy of the
     * table, not an encoding of every location in it.
     */
    record ShuffleLocationTable(int shuffleId, byte[] table, List<String> notYetServable) implements RegistryMessage {
        public ShuffleLocationTable {
            notYetServable = List.copyOf(notYetServable);
        }

        /** The answer to the asked map indexes, as a {@link ShuffleLocations} would have given it. */
        public ShuffleLocations select(List<Integer> mapIndexes) {
            Map<Integer, MapOutputLocation> byIndex = new HashMap<>();
            for (MapOutputLocation loc : RegistryCodec.decodeTable(shuffleId, table)) {
                byIndex.put(loc.mapIndex(), loc);
            }
            Set<String> gated = Set.copyOf(notYetServable);
            List<MapOutputLocation> found = new ArrayList<>();
            List<Integer> notYet = new ArrayList<>();
            for (int mapIndex : mapIndexes) {
                MapOutputLocation loc = byIndex.get(mapIndex);
                if (loc == null) {
                    continue;
                }
                if (gated.contains(loc.segmentName())) {
                    notYet.add(mapIndex);
                } else {
                    found.add(loc);
                }
            }
            return new ShuffleLocations(shuffleId, found, notYet);
        }
    }

    /** One-way ({@code RpcEndpointRef.send}): a task's counters, added to the driver's totals. */
    record ReportStats(ShuffleCounts counts) implements RegistryMessage {}

    record GetStats() implements RegistryMessage {}

    record Stats(ShuffleCounts counts) implements RegistryMessage {}

    record Ack() implements RegistryMessage {}

    /**
     * An executor has inserted into its address vector every peer that joined up to mark
     * {@code insertedThrough} (0: none yet) and asks what changed since ({@link PeerLog}).
     */
    record SyncPeers(String segmentName, long insertedThrough) implements RegistryMessage {}

    /**
     * Reply to {@link SyncPeers}: the changes up to mark {@code through}. {@code complete}: the
     * joined list is every live peer, and peers not in it are gone (the asker's mark was too old).
     */
    record PeerChanges(long through, boolean complete, List<Joined> joined, List<String> left)
            implements RegistryMessage {
        /** A peer that joined: its segment descriptor (SegmentDescriptorCodec), whose endpoints to insert. */
        public record Joined(String segmentName, byte[] descriptor) {}
    }
}
