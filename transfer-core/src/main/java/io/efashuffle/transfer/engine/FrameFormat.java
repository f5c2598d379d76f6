package io.efashuffle.transfer.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * The one convention every binary frame of this project follows: an optional 4-byte magic, a
 * version byte, the body, and nothing after it. Driver and executors run the same jar, so a
 * version mismatch means mixed installations and is refused with {@code mismatchHint}.
 *
 * @param kind         what the frame is, for messages ("segment descriptor")
 * @param magic        the leading int, or null for frames without one
 * @param version      the version this code writes and reads
 * @param mismatchHint what a version mismatch most likely means
 */
public record FrameFormat(String kind, Integer magic, int version, String mismatchHint) {
    /** Writes a frame body; DataOutputStream only throws for its target, a byte array here. */
    @FunctionalInterface
    public interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    public byte[] encode(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (magic != null) {
                out.writeInt(magic);
            }
            out.writeByte(version);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Checks the header, reads the body, and refuses trailing bytes. */
    public <T> T decode(byte[] frame, Function<FrameReader, T> body) {
        FrameReader in = new FrameReader(frame, kind);
        if (magic != null && in.readInt("magic") != magic) {
            throw in.malformed("not a " + kind + " (wrong magic)");
        }
        int v = in.unsignedByte("version");
        if (v != version) {
            throw in.malformed("version " + v + " is not supported (want " + version + "): " + mismatchHint);
        }
        T value = body.apply(in);
        in.expectEnd();
        return value;
    }
}
