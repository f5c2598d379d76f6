package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.EndpointAddresses;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compact, versioned binary form of {@link SegmentDescriptor} for registries and RPC. Decoding
 * trusts no count in the frame (see {@link FrameReader}); the maxima are far above what a
 * transport publishes (one name per rail, a few attributes, a few buffers).
 */
public final class SegmentDescriptorCodec {
    private static final FrameFormat FORMAT = new FrameFormat("segment descriptor", 0x45465344 /* "EFSD" */, 1,
            "mixed plugin versions in one cluster?");
    static final int MAX_TEXT = 1024;
    static final int MAX_ENDPOINT_NAMES = 64;
    static final int MAX_ENDPOINT_NAME = 1024;
    static final int MAX_ATTRIBUTES = 64;
    static final int MAX_BUFFERS = 65536;
    static final int MAX_KEYS = 64;
    /** base, length, an empty location and no keys. */
    private static final int MIN_BUFFER_BYTES = 8 + 8 + 2 + 2;

    private SegmentDescriptorCodec() {}

    public static byte[] encode(SegmentDescriptor d) {
        return FORMAT.encode(out -> {
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
                writeBuffer(out, b);
            }
        });
    }

    private static void writeBuffer(DataOutputStream out, BufferDescriptor b) throws IOException {
        out.writeLong(b.base());
        out.writeLong(b.length());
        out.writeUTF(b.location());
        long[] keys = b.keysUnsafe();
        out.writeShort(keys.length);
        for (long k : keys) {
            out.writeLong(k);
        }
    }

    /** @throws MalformedFrameException (an IllegalArgumentException) for anything but a valid descriptor */
    public static SegmentDescriptor decode(byte[] data) {
        return FORMAT.decode(data, in -> {
            String name = in.utf("segment name", MAX_TEXT);
            String protocol = in.utf("protocol", MAX_TEXT);
            int n = in.shortCount("endpoint names", 2, MAX_ENDPOINT_NAMES);
            List<byte[]> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(in.shortPrefixedBytes("endpoint name", MAX_ENDPOINT_NAME));
            }
            int a = in.shortCount("attributes", 4, MAX_ATTRIBUTES);
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 0; i < a; i++) {
                String key = in.utf("attribute key", MAX_TEXT);
                if (attrs.put(key, in.utf("attribute value", MAX_TEXT)) != null) {
                    throw in.malformed("attribute " + key + " appears twice");
                }
            }
            int count = in.intCount("buffers", MIN_BUFFER_BYTES, MAX_BUFFERS);
            List<BufferDescriptor> buffers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                buffers.add(readBuffer(in));
            }
            return new SegmentDescriptor(name, protocol, new EndpointAddresses(names, attrs), buffers);
        });
    }

    private static BufferDescriptor readBuffer(FrameReader in) {
        long base = in.readLong("buffer base");
        long length = in.nonNegativeLong("buffer length");
        String location = in.utf("buffer location", MAX_TEXT);
        long[] keys = new long[in.shortCount("buffer keys", 8, MAX_KEYS)];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = in.readLong("buffer key");
        }
        return new BufferDescriptor(base, length, location, keys);
    }
}
