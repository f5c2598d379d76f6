package org.apache.spark.shuffle.efa.registry;

import io.efashuffle.transfer.engine.SegmentDescriptor;
import io.efashuffle.transfer.engine.SegmentDescriptorCodec;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.PartialFunction;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The driver's segment metadata registry, an endpoint in Spark's own RpcEnv: one segment
 * descriptor per executor and one location per (shuffle, map index). Entries go when the shuffle
 * is removed, when the executor's RpcEnv disconnects (executor lost), and when the app ends. A
 * segment belongs to the connection that published it: only that executor removes, replaces or
 * syncs it.
 */
public final class ShuffleSegmentRegistry implements ThreadSafeRpcEndpoint {
    public static final String ENDPOINT_NAME = "efa-shuffle-segment-registry";

    private record Segment(String name, String executorId, byte[] descriptor, RpcAddress owner) {}

    private static final ShuffleCounts ONE_STAGED_OUTPUT = ShuffleCounts.of(ShuffleCounter.STAGED_MAP_OUTPUTS, 1);

    /**
     * A look-up of at least this many map indexes, and of at least half the shuffle's outputs, is
     * answered with the shuffle's whole table ({@link RegistryMessage.ShuffleLocationTable}).
     */
    static final int TABLE_REPLY_MIN = 256;

    private static final Logger LOG = LoggerFactory.getLogger(ShuffleSegmentRegistry.class);

    private final RpcEnv rpcEnv;
    private final Map<String, Segment> segments = new ConcurrentHashMap<>();
    /**
     * The segment each connection and each executor id published last: a look-up and a publish
     * find the asker's segment without visiting every executor's (at a thousand executors, each
     * reduce task's look-up would otherwise cost the driver a thousand comparisons).
     */
    private final Map<RpcAddress, String> segmentByOwner = new ConcurrentHashMap<>();
    private final Map<String, String> segmentByExecutor = new ConcurrentHashMap<>();
    private final Map<Integer, Map<Integer, MapOutputLocation>> shuffles = new ConcurrentHashMap<>();
    /** Each shuffle's location table as last encoded ({@link RegistryCodec#encodeTable}); dropped when the shuffle changes. */
    private final Map<Integer, byte[]> tables = new ConcurrentHashMap<>();
    private final AtomicReference<ShuffleCounts> stats = new AtomicReference<>(ShuffleCounts.ZERO);
    /** Who has inserted whom, where executors insert peers ahead of reads; null where they do not. */
    private final PeerLog peers;

    public ShuffleSegmentRegistry(RpcEnv rpcEnv) {
        this(rpcEnv, false);
    }

    /**
     * @param peersInsertedAhead executors insert their peers ahead of reads
     *                           ({@code spark.shuffle.efa.peers.insertAhead}): readers are given a
     *                           server's map outputs only once that server has inserted them
     */
    public ShuffleSegmentRegistry(RpcEnv rpcEnv, boolean peersInsertedAhead) {
        this.rpcEnv = rpcEnv;
        this.peers = peersInsertedAhead ? new PeerLog() : null;
    }

    @Override
    public RpcEnv rpcEnv() {
        return rpcEnv;
    }

    @Override
    public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
        // A byte array, not a class of ours: see DriverRegistryClient.ask.
        return frames(frame -> context.reply(RegistryCodec.encode(handle(
                RegistryCodec.decode(frame, RegistryMessageType.Direction.REQUEST), context.senderAddress()))));
    }

    /**
     * One-way messages ({@code send}), which nobody waits for: stats reports, and map output
     * locations. A map task sends its location before Spark's status update for it, over the same
     * connection, so it is in this inbox before the map stage can finish and before any reader's
     * lookup (the inbox is FIFO); one that is lost only means readers use Spark's fetcher.
     */
    @Override
    public PartialFunction<Object, BoxedUnit> receive() {
        return frames(frame -> {
            switch (RegistryCodec.decode(frame, RegistryMessageType.Direction.ONE_WAY)) {
                case RegistryMessage.ReportStats r -> stats.accumulateAndGet(r.counts(), ShuffleCounts::plus);
                case RegistryMessage.PublishMapOutput p -> publish(p.location());
                default -> throw new IllegalStateException("a one-way registry kind without a handler");
            }
        });
    }

    private void publish(MapOutputLocation loc) {
        Segment segment = segments.get(loc.segmentName());
        if (segment == null) {
            return; // its segment was withdrawn (or never published): readers use Spark's fetcher
        }
        if (!segment.executorId().equals(loc.executorId())) {
            // One-way messages carry no sender in Spark's RpcEnv: a location must at least name
            // the executor whose segment it points into, as the writer's always does.
            LOG.warn("ignored a map output of shuffle {} naming executor {} in the segment of executor {}",
                    loc.shuffleId(), loc.executorId(), segment.executorId());
            return;
        }
        // Kept with the segment's own strings, not the message's copies: ~100 bytes less per map output.
        MapOutputLocation kept = new MapOutputLocation(loc.shuffleId(), loc.mapIndex(), loc.mapId(), segment.executorId(),
                segment.name(), loc.dataAddress(), loc.dataLength(), loc.indexAddress(), loc.numPartitions(),
                loc.checksumAddress());
        shuffles.computeIfAbsent(loc.shuffleId(), k -> new ConcurrentHashMap<>()).put(loc.mapIndex(), kept);
        tables.remove(loc.shuffleId());
        stats.accumulateAndGet(ONE_STAGED_OUTPUT, ShuffleCounts::plus);
    }

    /** Handles byte[] messages only, so Spark reports anything else as unmatched. */
    private static PartialFunction<Object, BoxedUnit> frames(Consumer<byte[]> handler) {
        return new AbstractPartialFunction<>() {
            @Override
            public boolean isDefinedAt(Object x) {
                return x instanceof byte[];
            }

            @Override
            public <A1, B1> B1 applyOrElse(A1 x, scala.Function1<A1, B1> fallback) {
                if (!(x instanceof byte[] frame)) {
                    return fallback.apply(x);
                }
                handler.accept(frame);
                @SuppressWarnings("unchecked")
                B1 unit = (B1) BoxedUnit.UNIT;
                return unit;
            }
        };
    }

    RegistryMessage handle(RegistryMessage m, RpcAddress sender) {
        return switch (m) {
            case RegistryMessage.PublishSegment p -> {
                String name = SegmentDescriptorCodec.decode(p.descriptor()).name();
                checkOwner(name, sender, "publish");
                String before = segmentByExecutor.get(p.executorId());
                Segment s = before == null ? null : segments.get(before);
                if (s != null && !Objects.equals(s.owner(), sender)) {
                    throw new IllegalArgumentException("executor " + p.executorId() + " is the executor at "
                            + s.owner() + "; the one at " + sender + " may not publish a segment in its name");
                }
                segments.put(name, new Segment(name, p.executorId(), p.descriptor(), sender));
                segmentByExecutor.put(p.executorId(), name);
                if (sender != null) {
                    segmentByOwner.put(sender, name);
                }
                if (peers != null) {
                    peers.join(name, p.descriptor());
                }
                yield new RegistryMessage.Ack();
            }
            case RegistryMessage.RemoveSegment r -> {
                // A withdrawn segment cannot be read over the fabric: its map outputs go with it, so
                // readers that look them up use Spark's fetcher (the owner still serves them).
                checkOwner(r.segmentName(), sender, "remove");
                forgetIndexes(segments.remove(r.segmentName()), r.segmentName());
                if (peers != null) {
                    peers.leave(r.segmentName());
                }
                for (Map<Integer, MapOutputLocation> byMap : shuffles.values()) {
                    byMap.values().removeIf(loc -> loc.segmentName().equals(r.segmentName()));
                }
                tables.clear();
                yield new RegistryMessage.Ack();
            }
            case RegistryMessage.LookupSegment l -> {
                Segment s = segments.get(l.segmentName());
                yield new RegistryMessage.SegmentReply(s == null ? new byte[0] : s.descriptor());
            }
            case RegistryMessage.LookupMapOutputs l -> {
                Map<Integer, MapOutputLocation> byMap = shuffles.getOrDefault(l.shuffleId(), Map.of());
                String reader = peers == null ? null : segmentOf(sender);
                if (l.mapIndexes().size() >= TABLE_REPLY_MIN && 2L * l.mapIndexes().size() >= byMap.size()
                        && (peers == null || reader != null)) {
                    byte[] table = tables.computeIfAbsent(l.shuffleId(), k -> RegistryCodec.encodeTable(byMap.values()));
                    yield new RegistryMessage.ShuffleLocationTable(l.shuffleId(), table, notServableTo(reader));
                }
                List<MapOutputLocation> found = new ArrayList<>();
                List<Integer> notYet = new ArrayList<>();
                for (int mapIndex : l.mapIndexes()) {
                    MapOutputLocation loc = byMap.get(mapIndex);
                    if (loc == null) {
                        continue;
                    }
                    if (peers == null || servable(loc, reader)) {
                        found.add(loc);
                    } else if (reader != null) {
                        notYet.add(mapIndex); // its server inserts the reader soon: ask again then
                    }
                }
                yield new RegistryMessage.ShuffleLocations(l.shuffleId(), found, notYet);
            }
            case RegistryMessage.GetStats g -> new RegistryMessage.Stats(stats.get());
            case RegistryMessage.SyncPeers p -> {
                checkOwner(p.segmentName(), sender, "report peers inserted for");
                yield peers == null
                        ? new RegistryMessage.PeerChanges(0, false, List.of(), List.of()) // nobody inserts ahead here
                        : peers.sync(p.segmentName(), p.insertedThrough());
            }
            default -> throw new IllegalArgumentException("unexpected registry request " + m.getClass().getSimpleName());
        };
    }

    /**
     * An executor acts only on its own segment: the one published over its connection. Another
     * executor removing it, publishing over it or claiming its peers would take reads away from
     * a healthy server or send them to memory it does not own.
     */
    private void checkOwner(String segmentName, RpcAddress sender, String action) {
        Segment s = segments.get(segmentName);
        if (s != null && !Objects.equals(s.owner(), sender)) {
            throw new IllegalArgumentException("segment " + segmentName + " belongs to executor " + s.executorId()
                    + " at " + s.owner() + "; the executor at " + sender + " may not " + action + " it");
        }
    }

    /**
     * Whether a reader may read this output over the fabric now: its server has inserted the
     * reader's address (or is the reader). A reader without a segment reads nothing over the fabric.
     */
    private boolean servable(MapOutputLocation loc, String reader) {
        return reader != null && (loc.segmentName().equals(reader) || peers.knows(loc.segmentName(), reader));
    }

    /** The segments whose outputs {@code reader} may not read over the fabric yet (none where peers are not inserted ahead). */
    private List<String> notServableTo(String reader) {
        if (peers == null) {
            return List.of();
        }
        List<String> gated = new ArrayList<>();
        for (String server : segments.keySet()) {
            if (!server.equals(reader) && !peers.knows(server, reader)) {
                gated.add(server);
            }
        }
        return gated;
    }

    /** The segment the executor at {@code address} published, or null. */
    private String segmentOf(RpcAddress address) {
        return address == null ? null : segmentByOwner.get(address);
    }

    private void forgetIndexes(Segment gone, String name) {
        if (gone != null) {
            segmentByExecutor.remove(gone.executorId(), name);
            if (gone.owner() != null) {
                segmentByOwner.remove(gone.owner(), name);
            }
        }
    }

    /** The executor behind {@code address} is gone: forget its segment and its map outputs. */
    @Override
    public void onDisconnected(RpcAddress address) {
        List<String> lost = new ArrayList<>();
        segments.entrySet().removeIf(e -> {
            if (address.equals(e.getValue().owner())) {
                lost.add(e.getValue().executorId());
                forgetIndexes(e.getValue(), e.getKey());
                if (peers != null) {
                    peers.leave(e.getKey());
                }
                return true;
            }
            return false;
        });
        if (!lost.isEmpty()) {
            for (Map<Integer, MapOutputLocation> m : shuffles.values()) {
                m.values().removeIf(loc -> lost.contains(loc.executorId()));
            }
            tables.clear();
        }
    }

    public void removeShuffle(int shuffleId) {
        shuffles.remove(shuffleId);
        tables.remove(shuffleId);
    }

    /** The registered segments' descriptors, by segment name (what executors are handed). */
    public Map<String, SegmentDescriptor> segments() {
        Map<String, SegmentDescriptor> out = new java.util.TreeMap<>();
        segments.forEach((name, s) -> out.put(name, SegmentDescriptorCodec.decode(s.descriptor())));
        return out;
    }

    /** A shuffle's registered map output locations. */
    public List<MapOutputLocation> locations(int shuffleId) {
        Map<Integer, MapOutputLocation> byMap = shuffles.get(shuffleId);
        return byMap == null ? List.of() : List.copyOf(byMap.values());
    }

    public long segmentCount() {
        return segments.size();
    }

    public long shuffleCount() {
        return shuffles.size();
    }

    public long mapOutputCount() {
        return shuffles.values().stream().mapToLong(Map::size).sum();
    }

    /** Bytes of map output (data) the registered locations describe. */
    public long stagedBytes() {
        return shuffles.values().stream().flatMap(m -> m.values().stream()).mapToLong(MapOutputLocation::dataLength)
                .sum();
    }

    /**
     * The totals including every report sent by a task that has finished by now, as far as the
     * caller can tell (its job returned). A task sends its report before Spark's status update for
     * it, over the same connection, so the report is in this endpoint's inbox before the task
     * counts as finished; this call asks the endpoint itself and so queues behind it. Not from the
     * endpoint's own thread. Falls back to {@link #statsSoFar()} when the endpoint has stopped.
     */
    public ShuffleCounts stats() {
        RpcEndpointRef self = rpcEnv == null ? null : self();
        if (self == null) {
            return statsSoFar();
        }
        try {
            byte[] reply = self.askSync(RegistryCodec.encode(new RegistryMessage.GetStats()), DriverRegistryClient.BYTES);
            return RegistryCodec.decodeReply(reply, RegistryMessage.Stats.class).counts();
        } catch (RuntimeException e) {
            return statsSoFar(); // stopping: no report arrives any more
        }
    }

    /** The totals received so far, without waiting (metrics gauges). */
    public ShuffleCounts statsSoFar() {
        return stats.get();
    }

    public void clear() {
        segments.clear();
        segmentByOwner.clear();
        segmentByExecutor.clear();
        tables.clear();
        if (peers != null) {
            peers.clear();
        }
        shuffles.clear();
    }
}
