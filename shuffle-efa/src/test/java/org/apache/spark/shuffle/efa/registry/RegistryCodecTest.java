package org.apache.spark.shuffle.efa.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryCodecTest {
    private static final MapOutputLocation LOC = new MapOutputLocation(3, 17, 123456789L, "exec-2",
            "efa-shuffle/app-1/2", 0x7f00_1234_5000L, 1 << 20, 0x7f00_1244_5000L, 2400, 0x7f00_1244_9b08L);

    private static RegistryMessage roundTrip(RegistryMessage m) {
        return RegistryCodec.decode(RegistryCodec.encode(m));
    }

    @Test
    void everyMessageSurvivesARoundTrip() {
        assertEquals(new RegistryMessage.PublishMapOutput(LOC), roundTrip(new RegistryMessage.PublishMapOutput(LOC)));
        assertEquals(new RegistryMessage.LookupShuffle(9), roundTrip(new RegistryMessage.LookupShuffle(9)));
        assertEquals(new RegistryMessage.ShuffleLocations(3, List.of(LOC, LOC)),
                roundTrip(new RegistryMessage.ShuffleLocations(3, List.of(LOC, LOC))));
        assertEquals(new RegistryMessage.RemoveSegment("s"), roundTrip(new RegistryMessage.RemoveSegment("s")));
        assertEquals(new RegistryMessage.LookupSegment("s"), roundTrip(new RegistryMessage.LookupSegment("s")));
        ReadStats stats = new ReadStats(1, 2, 3, 4, 5, 6, 7, 8);
        assertEquals(new RegistryMessage.Stats(stats), roundTrip(new RegistryMessage.Stats(stats)));
        assertEquals(new RegistryMessage.ReportStats(stats), roundTrip(new RegistryMessage.ReportStats(stats)));
        assertInstanceOf(RegistryMessage.GetStats.class, roundTrip(new RegistryMessage.GetStats()));
        assertInstanceOf(RegistryMessage.Ack.class, roundTrip(new RegistryMessage.Ack()));
        byte[] d = {1, 2, 3, (byte) 0xff};
        var p = (RegistryMessage.PublishSegment) roundTrip(new RegistryMessage.PublishSegment("e1", d));
        assertEquals("e1", p.executorId());
        assertArrayEquals(d, p.descriptor());
        assertArrayEquals(d, ((RegistryMessage.SegmentReply) roundTrip(new RegistryMessage.SegmentReply(d))).descriptor());
    }

    @Test
    void locationsAreCompact() {
        int bytes = RegistryCodec.encode(new RegistryMessage.ShuffleLocations(3, List.of(LOC))).length;
        assertTrue(bytes < 100, "one location takes " + bytes + " bytes");
    }

    @Test
    void damagedFramesAreRefusedWithAReason() {
        byte[] good = RegistryCodec.encode(new RegistryMessage.PublishMapOutput(LOC));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertThrows(IllegalArgumentException.class, () -> RegistryCodec.decode(truncated));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 7;
        var e = assertThrows(IllegalArgumentException.class, () -> RegistryCodec.decode(otherVersion));
        assertTrue(e.getMessage().contains("same shuffle-efa jar"), e.getMessage());
        byte[] unknownTag = {1, 99};
        assertThrows(IllegalArgumentException.class, () -> RegistryCodec.decode(unknownTag));
    }
}
