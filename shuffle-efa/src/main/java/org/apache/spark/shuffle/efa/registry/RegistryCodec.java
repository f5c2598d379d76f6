package org.apache.spark.shuffle.efa.registry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-rolled binary form of the registry messages: a version byte, a tag byte, then fields in
 * order. A map output location is ~60 bytes plus two short strings, so a 2,000-map shuffle's
 * lookup reply stays near 150 KB.
 */
public final class RegistryCodec {
    static final int VERSION = 3; // 2: stats without the never-set fileMapOutputs; 3: checksum address

    private RegistryCodec() {}

    public static byte[] encode(RegistryMessage m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            switch (m) {
                case RegistryMessage.PublishSegment p -> {
                    out.writeByte(1);
                    out.writeUTF(p.executorId());
                    writeBytes(out, p.descriptor());
                }
                case RegistryMessage.RemoveSegment r -> {
                    out.writeByte(2);
                    out.writeUTF(r.segmentName());
                }
                case RegistryMessage.LookupSegment l -> {
                    out.writeByte(3);
                    out.writeUTF(l.segmentName());
                }
                case RegistryMessage.SegmentReply s -> {
                    out.writeByte(4);
                    writeBytes(out, s.descriptor());
                }
                case RegistryMessage.PublishMapOutput p -> {
                    out.writeByte(5);
                    writeLocation(out, p.location());
                }
                case RegistryMessage.LookupShuffle l -> {
                    out.writeByte(6);
                    out.writeInt(l.shuffleId());
                }
                case RegistryMessage.ShuffleLocations s -> {
                    out.writeByte(7);
                    out.writeInt(s.shuffleId());
                    out.writeInt(s.locations().size());
                    for (MapOutputLocation loc : s.locations()) {
                        writeLocation(out, loc);
                    }
                }
                case RegistryMessage.ReportStats r -> {
                    out.writeByte(8);
                    writeStats(out, r.stats());
                }
                case RegistryMessage.GetStats g -> out.writeByte(9);
                case RegistryMessage.Stats s -> {
                    out.writeByte(10);
                    writeStats(out, s.stats());
                }
                case RegistryMessage.Ack a -> out.writeByte(11);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static RegistryMessage decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("registry message version " + version + ", this plugin speaks "
                        + VERSION + ": driver and executors must run the same shuffle-efa jar");
            }
            int tag = in.readUnsignedByte();
            RegistryMessage m = switch (tag) {
                case 1 -> new RegistryMessage.PublishSegment(in.readUTF(), readBytes(in));
                case 2 -> new RegistryMessage.RemoveSegment(in.readUTF());
                case 3 -> new RegistryMessage.LookupSegment(in.readUTF());
                case 4 -> new RegistryMessage.SegmentReply(readBytes(in));
                case 5 -> new RegistryMessage.PublishMapOutput(readLocation(in));
                case 6 -> new RegistryMessage.LookupShuffle(in.readInt());
                case 7 -> {
                    int shuffleId = in.readInt();
                    int n = in.readInt();
                    if (n < 0) {
                        throw new IllegalArgumentException("negative location count");
                    }
                    List<MapOutputLocation> locs = new ArrayList<>(Math.min(n, 1 << 16));
                    for (int i = 0; i < n; i++) {
                        locs.add(readLocation(in));
                    }
                    yield new RegistryMessage.ShuffleLocations(shuffleId, locs);
                }
                case 8 -> new RegistryMessage.ReportStats(readStats(in));
                case 9 -> new RegistryMessage.GetStats();
                case 10 -> new RegistryMessage.Stats(readStats(in));
                case 11 -> new RegistryMessage.Ack();
                default -> throw new IllegalArgumentException("unknown registry message tag " + tag);
            };
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after registry message tag " + tag);
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated registry message", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 64 << 20) {
            throw new IllegalArgumentException("bad byte array length " + n);
        }
        return in.readNBytes(n);
    }

    private static void writeLocation(DataOutputStream out, MapOutputLocation l) throws IOException {
        out.writeInt(l.shuffleId());
        out.writeInt(l.mapIndex());
        out.writeLong(l.mapId());
        out.writeUTF(l.executorId());
        out.writeUTF(l.segmentName());
        out.writeLong(l.dataAddress());
        out.writeLong(l.dataLength());
        out.writeLong(l.indexAddress());
        out.writeInt(l.numPartitions());
        out.writeLong(l.checksumAddress());
    }

    private static MapOutputLocation readLocation(DataInputStream in) throws IOException {
        return new MapOutputLocation(in.readInt(), in.readInt(), in.readLong(), in.readUTF(), in.readUTF(),
                in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readLong());
    }

    private static void writeStats(DataOutputStream out, ReadStats s) throws IOException {
        for (long v : new long[] {s.fabricBytes(), s.fabricBlocks(), s.localStagedBytes(), s.fallbackBlocks(),
                s.indexReads(), s.dataReads(), s.retries(), s.stagedMapOutputs()}) {
            out.writeLong(v);
        }
    }

    private static ReadStats readStats(DataInputStream in) throws IOException {
        return new ReadStats(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong());
    }
}
