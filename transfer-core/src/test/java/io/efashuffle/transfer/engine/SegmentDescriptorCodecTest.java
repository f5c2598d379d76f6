package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.EndpointAddresses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentDescriptorCodecTest {
    private static SegmentDescriptor sample() {
        return new SegmentDescriptor("exec-7", "efa",
                new EndpointAddresses(List.of(new byte[] {1, 2, 3}, new byte[32]), Map.of("addressing", "virtual")),
                List.of(new BufferDescriptor(0x7f00_0000_0000L, 1 << 20, "cpu:0", new long[] {11, -2}),
                        new BufferDescriptor(0x1000, 4096, "cpu:1", new long[] {5, 6})));
    }

    @Test
    void roundTripKeepsEveryField() {
        SegmentDescriptor d = sample();
        SegmentDescriptor back = SegmentDescriptorCodec.decode(SegmentDescriptorCodec.encode(d));
        assertEquals(d.name(), back.name());
        assertEquals(d.protocol(), back.protocol());
        assertEquals(d.endpoint().attributes(), back.endpoint().attributes());
        assertEquals(2, back.endpoint().endpointNames().size());
        assertArrayEquals(new byte[] {1, 2, 3}, back.endpoint().endpointNames().get(0));
        assertEquals(2, back.buffers().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(d.buffers().get(i).base(), back.buffers().get(i).base());
            assertEquals(d.buffers().get(i).length(), back.buffers().get(i).length());
            assertEquals(d.buffers().get(i).location(), back.buffers().get(i).location());
            assertArrayEquals(d.buffers().get(i).keys(), back.buffers().get(i).keys());
        }
    }

    @Test
    void buffersAreFoundByAddressAndBoundsAreExact() {
        SegmentDescriptor d = sample();
        assertSame(d.buffers().get(0), d.bufferContaining(0x1000, 4096));
        assertNull(d.bufferContaining(0x1000, 4097));
        assertNull(d.bufferContaining(0xfff, 2));
        assertEquals(0x7f00_0000_0000L, d.bufferContaining(0x7f00_0000_0000L + (1 << 20) - 1, 1).base());
        assertNull(d.bufferContaining(0x7f00_0000_0000L + (1 << 20), 1));
    }

    @Test
    void corruptOrForeignBytesAreRefused() {
        byte[] good = SegmentDescriptorCodec.encode(sample());
        byte[] badMagic = good.clone();
        badMagic[0] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> SegmentDescriptorCodec.decode(badMagic));
        byte[] badVersion = good.clone();
        badVersion[4] = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegmentDescriptorCodec.decode(badVersion));
        assertTrue(e.getMessage().contains("version 9"));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertThrows(IllegalArgumentException.class, () -> SegmentDescriptorCodec.decode(truncated));
    }

    private static byte[] emptyFrame() {
        return SegmentDescriptorCodec.encode(new SegmentDescriptor("", "", new EndpointAddresses(List.of(), Map.of()),
                List.of()));
    }

    /** magic, version, empty name and protocol, no endpoint names or attributes: the buffer count is next. */
    private static byte[] headerBeforeBufferCount() {
        byte[] empty = emptyFrame();
        return java.util.Arrays.copyOf(empty, empty.length - 4);
    }

    @Test
    void aSmallFrameClaimingHugeCountsIsRefusedWithoutAllocating() {
        FrameFuzzer fuzz = new FrameFuzzer(SegmentDescriptorCodec::decode);
        byte[] header = headerBeforeBufferCount();
        byte[] frame = java.util.Arrays.copyOf(header, 30);
        for (int count : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 16, 2}) {
            byte[] claim = FrameFuzzer.withInt(frame, header.length, count);
            assertTrue(fuzz.assertRefused(claim).getMessage().contains("buffers"), "count " + count);
        }
        byte[] manyNames = FrameFuzzer.withShort(frame, header.length - 4, 0xffff);
        assertTrue(fuzz.assertRefused(manyNames).getMessage().contains("endpoint names is 65535, allowed 0..64"));
    }

    @Test
    void impossibleBufferValuesAreRefused() {
        byte[] good = SegmentDescriptorCodec.encode(sample());
        FrameFuzzer fuzz = new FrameFuzzer(SegmentDescriptorCodec::decode);
        // The last buffer (sorted by base) ends with base, length, "cpu:0", 2 keys: 8+8+7+2+16 bytes.
        int lengthAt = good.length - (8 + 7 + 2 + 16);
        assertTrue(fuzz.tryDecode(good));
        byte[] negative = FrameFuzzer.withInt(good, lengthAt, -1);
        assertTrue(fuzz.assertRefused(negative).getMessage().contains("buffer length is negative"));
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertTrue(fuzz.assertRefused(trailing).getMessage().contains("trailing"));
    }

    @Test
    void damagedFramesDecodeOrAreRefusedNeverWorse() {
        SegmentDescriptor many = new SegmentDescriptor("s", "tcp",
                new EndpointAddresses(List.of(new byte[16], new byte[16]), Map.of("addressing", "offset", "k", "v")),
                List.of(new BufferDescriptor(0, 64, "", new long[] {1}), new BufferDescriptor(64, 8, "x", new long[0])));
        List<byte[]> valid = List.of(SegmentDescriptorCodec.encode(sample()), SegmentDescriptorCodec.encode(many),
                emptyFrame());
        FrameFuzzer fuzz = new FrameFuzzer(SegmentDescriptorCodec::decode);
        for (byte[] frame : valid) {
            fuzz.everyTruncationIsRefused(frame);
            fuzz.hostileValuesEverywhere(frame);
        }
        fuzz.randomFrames(valid, 9, 1000);
        assertTrue(fuzz.decoded() > 100 && fuzz.refused() > 1000, fuzz.decoded() + " decoded, " + fuzz.refused()
                + " refused");
    }
}
