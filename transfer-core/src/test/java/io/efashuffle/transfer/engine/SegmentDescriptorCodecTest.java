package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.LocalEndpoint;
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
                new LocalEndpoint(List.of(new byte[] {1, 2, 3}, new byte[32]), Map.of("addressing", "virtual")),
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

    @Test
    void httpRegistryPublishesLooksUpAndRemoves() throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             HttpMetadataRegistry client = new HttpMetadataRegistry(server.url())) {
            assertTrue(client.lookup("exec-7").isEmpty());
            client.publish(sample());
            assertEquals("efa", client.lookup("exec-7").orElseThrow().protocol());
            client.remove("exec-7");
            assertTrue(client.lookup("exec-7").isEmpty());
        }
    }
}
