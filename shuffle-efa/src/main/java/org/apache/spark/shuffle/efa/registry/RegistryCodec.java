package org.apache.spark.shuffle.efa.registry;

import io.efashuffle.transfer.engine.FrameFormat;
import io.efashuffle.transfer.engine.FrameReader;
import io.efashuffle.transfer.engine.MalformedFrameException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-rolled binary form of the registry messages: a version byte, a tag byte
 * ({@link RegistryMessageType}), then fields in order. Replies carry locations as a table: each
 * serving executor's names once, then 52 bytes per location, so a look-up of all of a 100,000-map
 * shuffle's outputs is about 5 MB. Decoding trusts no count or length in the frame (see {@link FrameReader}).
 */
public final class RegistryCodec {
    // 2: stats without the never-set fileMapOutputs; 3: checksum address; 4: lookups by map index,
    // stats one-way; 5: counters prefixed by their count; 6: locations not yet servable to the asker;
    // 7: locations replied as a table (each server's names once), whole-shuffle table replies
    static final int VERSION = 7;
    private static final FrameFormat FORMAT = new FrameFormat("registry message", null, VERSION,
            "driver and executors must run the same shuffle-efa jar");
    static final int MAX_TEXT = 1024;
    static final int MAX_DESCRIPTOR = 64 << 20;
    /** A location with empty executor and segment names. */
    static final int MIN_LOCATION_BYTES = 4 + 4 + 8 + 2 + 2 + 8 + 8 + 8 + 4 + 8;
    /** A location in a table: its server as an index into the table's servers. */
    static final int TABLE_LOCATION_BYTES = 4 + 8 + 4 + 8 + 8 + 8 + 4 + 8;

    private RegistryCodec() {}

    public static byte[] encode(RegistryMessage m) {
        return FORMAT.encode(out -> {
            out.writeByte(RegistryMessageType.of(m).tag);
            switch (m) {
                case RegistryMessage.PublishSegment p -> {
                    out.writeUTF(p.executorId());
                    writeBytes(out, p.descriptor());
                }
                case RegistryMessage.RemoveSegment r -> out.writeUTF(r.segmentName());
                case RegistryMessage.LookupSegment l -> out.writeUTF(l.segmentName());
                case RegistryMessage.SegmentReply s -> writeBytes(out, s.descriptor());
                case RegistryMessage.PublishMapOutput p -> writeLocation(out, p.location());
                case RegistryMessage.LookupMapOutputs l -> {
                    out.writeInt(l.shuffleId());
                    writeInts(out, l.mapIndexes());
                }
                case RegistryMessage.ShuffleLocations s -> {
                    out.writeInt(s.shuffleId());
                    writeTable(out, s.locations());
                    writeInts(out, s.notYetServable());
                }
                case RegistryMessage.ShuffleLocationTable t -> {
                    out.writeInt(t.shuffleId());
                    writeBytes(out, t.table());
                    writeNames(out, t.notYetServable());
                }
                case RegistryMessage.ReportStats r -> writeCounts(out, r.counts());
                case RegistryMessage.Stats s -> writeCounts(out, s.counts());
                case RegistryMessage.GetStats g -> { }
                case RegistryMessage.Ack a -> { }
                case RegistryMessage.SyncPeers p -> {
                    out.writeUTF(p.segmentName());
                    out.writeLong(p.insertedThrough());
                }
                case RegistryMessage.PeerChanges c -> {
                    out.writeLong(c.through());
                    out.writeBoolean(c.complete());
                    out.writeInt(c.joined().size());
                    for (RegistryMessage.PeerChanges.Joined j : c.joined()) {
                        out.writeUTF(j.segmentName());
                        writeBytes(out, j.descriptor());
                    }
                    writeNames(out, c.left());
                }
            }
        });
    }

    /** The kind a frame says it is (its tag's name, as in {@link RegistryMessageType}), without decoding it. */
    public static String kindOf(byte[] frame) {
        RegistryMessageType type = frame.length > 1 ? RegistryMessageType.ofTag(frame[1] & 0xff) : null;
        return type == null ? "unknown" : type.name();
    }

    /** @throws io.efashuffle.transfer.engine.MalformedFrameException for anything but a valid message */
    public static RegistryMessage decode(byte[] data) {
        return FORMAT.decode(data, in -> {
            int tag = in.unsignedByte("tag");
            RegistryMessageType type = RegistryMessageType.ofTag(tag);
            if (type == null) {
                throw in.malformed("unknown tag " + tag);
            }
            return switch (type) {
                case PUBLISH_SEGMENT -> new RegistryMessage.PublishSegment(in.utf("executor id", MAX_TEXT),
                        in.intPrefixedBytes("descriptor", MAX_DESCRIPTOR));
                case REMOVE_SEGMENT -> new RegistryMessage.RemoveSegment(in.utf("segment name", MAX_TEXT));
                case LOOKUP_SEGMENT -> new RegistryMessage.LookupSegment(in.utf("segment name", MAX_TEXT));
                case SEGMENT_REPLY -> new RegistryMessage.SegmentReply(in.intPrefixedBytes("descriptor",
                        MAX_DESCRIPTOR));
                case PUBLISH_MAP_OUTPUT -> new RegistryMessage.PublishMapOutput(readLocation(in));
                case LOOKUP_MAP_OUTPUTS -> readLookupMapOutputs(in);
                case SHUFFLE_LOCATIONS -> readLocations(in);
                case SHUFFLE_LOCATION_TABLE -> readLocationTable(in);
                case REPORT_STATS -> new RegistryMessage.ReportStats(readCounts(in));
                case GET_STATS -> new RegistryMessage.GetStats();
                case STATS -> new RegistryMessage.Stats(readCounts(in));
                case ACK -> new RegistryMessage.Ack();
                case SYNC_PEERS -> new RegistryMessage.SyncPeers(in.utf("segment name", MAX_TEXT),
                        in.readLong("inserted-through mark"));
                case PEER_CHANGES -> readPeerChanges(in);
            };
        });
    }

    /**
     * Decodes a frame that must travel as {@code direction} (a request for the endpoint's
     * receiveAndReply, a one-way message for its receive), refusing any other kind.
     */
    static RegistryMessage decode(byte[] data, RegistryMessageType.Direction direction) {
        RegistryMessage m = decode(data);
        RegistryMessageType type = RegistryMessageType.of(m);
        if (type.direction != direction) {
            throw new MalformedFrameException("registry " + type + " is a " + type.direction + " message, not a "
                    + direction);
        }
        return m;
    }

    /** Decodes a reply that must be of kind {@code expected} (a typed ask's answer). */
    static <R extends RegistryMessage> R decodeReply(byte[] data, Class<R> expected) {
        RegistryMessage m = decode(data);
        if (!expected.isInstance(m)) {
            throw new MalformedFrameException("registry reply " + m.getClass().getSimpleName() + " where "
                    + expected.getSimpleName() + " was expected");
        }
        return expected.cast(m);
    }

    /**
     * A shuffle's locations as a table: each serving executor's id and segment name once, then
     * each location with its server's index. What {@link RegistryMessage.ShuffleLocationTable}
     * carries, encoded by the driver once per change of the shuffle.
     */
    public static byte[] encodeTable(Collection<MapOutputLocation> locations) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + locations.size() * TABLE_LOCATION_BYTES);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeTable(out, locations);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws MalformedFrameException for anything but a table {@link #encodeTable} wrote */
    static List<MapOutputLocation> decodeTable(int shuffleId, byte[] table) {
        FrameReader in = new FrameReader(table, "registry location table");
        List<MapOutputLocation> locations = readTable(in, shuffleId);
        in.expectEnd();
        return locations;
    }

    private static void writeTable(DataOutputStream out, Collection<MapOutputLocation> locations) throws IOException {
        Map<String, Integer> servers = new LinkedHashMap<>();
        Map<String, String> executors = new HashMap<>();
        for (MapOutputLocation l : locations) {
            if (servers.putIfAbsent(l.segmentName(), servers.size()) == null) {
                executors.put(l.segmentName(), l.executorId());
            }
        }
        out.writeInt(servers.size());
        for (String segment : servers.keySet()) {
            out.writeUTF(executors.get(segment));
            out.writeUTF(segment);
        }
        out.writeInt(locations.size());
        for (MapOutputLocation l : locations) {
            out.writeInt(l.mapIndex());
            out.writeLong(l.mapId());
            out.writeInt(servers.get(l.segmentName()));
            writePlace(out, l);
        }
    }

    private static List<MapOutputLocation> readTable(FrameReader in, int shuffleId) {
        int n = in.intCount("servers", 2 + 2, Integer.MAX_VALUE);
        String[] executorIds = new String[n];
        String[] segmentNames = new String[n];
        for (int i = 0; i < n; i++) {
            executorIds[i] = in.utf("executor id", MAX_TEXT);
            segmentNames[i] = in.utf("segment name", MAX_TEXT);
        }
        int count = in.intCount("locations", TABLE_LOCATION_BYTES, Integer.MAX_VALUE);
        List<MapOutputLocation> locs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int mapIndex = in.readInt("map index");
            long mapId = in.readLong("map id");
            int server = in.intIn("server", n - 1);
            locs.add(readPlace(in, shuffleId, mapIndex, mapId, executorIds[server], segmentNames[server]));
        }
        return locs;
    }

    private static RegistryMessage.ShuffleLocationTable readLocationTable(FrameReader in) {
        int shuffleId = in.readInt("shuffle id");
        byte[] table = in.intPrefixedBytes("location table", Integer.MAX_VALUE);
        int n = in.intCount("segments not yet servable", 2, Integer.MAX_VALUE);
        List<String> gated = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            gated.add(in.utf("segment name", MAX_TEXT));
        }
        return new RegistryMessage.ShuffleLocationTable(shuffleId, table, gated);
    }

    private static RegistryMessage.ShuffleLocations readLocations(FrameReader in) {
        int shuffleId = in.readInt("shuffle id");
        List<MapOutputLocation> locs = readTable(in, shuffleId);
        int gated = in.intCount("map indexes not yet servable", 4, Integer.MAX_VALUE);
        List<Integer> notYetServable = new ArrayList<>(gated);
        for (int i = 0; i < gated; i++) {
            notYetServable.add(in.intIn("map index", Integer.MAX_VALUE));
        }
        return new RegistryMessage.ShuffleLocations(shuffleId, locs, notYetServable);
    }

    private static RegistryMessage.LookupMapOutputs readLookupMapOutputs(FrameReader in) {
        int shuffleId = in.readInt("shuffle id");
        int n = in.intCount("map indexes", 4, Integer.MAX_VALUE);
        List<Integer> mapIndexes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            mapIndexes.add(in.intIn("map index", Integer.MAX_VALUE));
        }
        return new RegistryMessage.LookupMapOutputs(shuffleId, mapIndexes);
    }

    private static RegistryMessage.PeerChanges readPeerChanges(FrameReader in) {
        long through = in.readLong("mark");
        boolean complete = in.unsignedByte("complete") != 0;
        int n = in.intCount("joined peers", 2 + 4, Integer.MAX_VALUE); // an empty name and descriptor
        List<RegistryMessage.PeerChanges.Joined> joined = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            joined.add(new RegistryMessage.PeerChanges.Joined(in.utf("segment name", MAX_TEXT),
                    in.intPrefixedBytes("descriptor", MAX_DESCRIPTOR)));
        }
        int m = in.intCount("departed peers", 2, Integer.MAX_VALUE);
        List<String> left = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            left.add(in.utf("segment name", MAX_TEXT));
        }
        return new RegistryMessage.PeerChanges(through, complete, joined, left);
    }

    private static void writeInts(DataOutputStream out, List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static void writeNames(DataOutputStream out, List<String> names) throws IOException {
        out.writeInt(names.size());
        for (String name : names) {
            out.writeUTF(name);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeLocation(DataOutputStream out, MapOutputLocation l) throws IOException {
        out.writeInt(l.shuffleId());
        out.writeInt(l.mapIndex());
        out.writeLong(l.mapId());
        out.writeUTF(l.executorId());
        out.writeUTF(l.segmentName());
        writePlace(out, l);
    }

    private static MapOutputLocation readLocation(FrameReader in) {
        int shuffleId = in.readInt("shuffle id");
        int mapIndex = in.readInt("map index");
        long mapId = in.readLong("map id");
        String executorId = in.utf("executor id", MAX_TEXT);
        String segmentName = in.utf("segment name", MAX_TEXT);
        return readPlace(in, shuffleId, mapIndex, mapId, executorId, segmentName);
    }

    /** A location's place in its segment (data, index, partitions, checksums), written by {@link #writePlace}. */
    private static MapOutputLocation readPlace(FrameReader in, int shuffleId, int mapIndex, long mapId,
                                               String executorId, String segmentName) {
        long dataAddress = in.readLong("data address");
        long dataLength = in.readLong("data length");
        long indexAddress = in.readLong("index address");
        int numPartitions = in.readInt("partition count");
        long checksumAddress = in.readLong("checksum address");
        try {
            return new MapOutputLocation(shuffleId, mapIndex, mapId, executorId, segmentName, dataAddress,
                    dataLength, indexAddress, numPartitions, checksumAddress);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    private static void writePlace(DataOutputStream out, MapOutputLocation l) throws IOException {
        out.writeLong(l.dataAddress());
        out.writeLong(l.dataLength());
        out.writeLong(l.indexAddress());
        out.writeInt(l.numPartitions());
        out.writeLong(l.checksumAddress());
    }

    /** The number of counters, then each in {@link ShuffleCounter} order. */
    private static void writeCounts(DataOutputStream out, ShuffleCounts c) throws IOException {
        long[] values = c.toArray();
        out.writeByte(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static ShuffleCounts readCounts(FrameReader in) {
        int n = in.unsignedByte("counter count");
        if (n != ShuffleCounts.SIZE) {
            throw in.malformed(n + " counters where this jar has " + ShuffleCounts.SIZE);
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong(ShuffleCounter.values()[i].metric);
        }
        return ShuffleCounts.of(values);
    }
}
