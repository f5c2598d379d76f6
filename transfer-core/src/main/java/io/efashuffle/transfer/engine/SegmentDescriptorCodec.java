package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.LocalEndpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A compact, versioned binary form of {@link SegmentDescriptor} for registries and RPC. */
public final class SegmentDescriptorCodec {
    private static final int MAGIC = 0x45465344; // "EFSD"
    private static final int VERSION = 1;

    private SegmentDescriptorCodec() {}

    public static byte[] encode(SegmentDescriptor d) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeUTF(d.name());
            out.writeUTF(d.protocol());
            List<byte[]> names = d.endpoint().endpointNames();
            out.writeShort(names.size());
            for (byte[] n : names) {
                out.writeShort(n.length);
                out.write(n);
            }
            Map<String, String> attrs = new TreeMap<>(d.endpoint().attributes());
            out.writeShort(attrs.size());
            for (Map.Entry<String, String> e : attrs.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(d.buffers().size());
            for (BufferDescriptor b : d.buffers()) {
                out.writeLong(b.base());
                out.writeLong(b.length());
                out.writeUTF(b.location());
                long[] keys = b.keysUnsafe();
                out.writeShort(keys.length);
                for (long k : keys) {
                    out.writeLong(k);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static SegmentDescriptor decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a segment descriptor");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("segment descriptor version " + version + " is not supported (want "
                        + VERSION + "): mixed plugin versions in one cluster?");
            }
            String name = in.readUTF();
            String protocol = in.readUTF();
            int n = in.readUnsignedShort();
            List<byte[]> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readUnsignedShort()];
                in.readFully(b);
                names.add(b);
            }
            int a = in.readUnsignedShort();
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 0; i < a; i++) {
                attrs.put(in.readUTF(), in.readUTF());
            }
            int count = in.readInt();
            List<BufferDescriptor> buffers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long base = in.readLong();
                long length = in.readLong();
                String location = in.readUTF();
                long[] keys = new long[in.readUnsignedShort()];
                for (int k = 0; k < keys.length; k++) {
                    keys[k] = in.readLong();
                }
                buffers.add(new BufferDescriptor(base, length, location, keys));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after segment descriptor");
            }
            return new SegmentDescriptor(name, protocol, new LocalEndpoint(names, attrs), buffers);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated segment descriptor", e);
        }
    }
}
