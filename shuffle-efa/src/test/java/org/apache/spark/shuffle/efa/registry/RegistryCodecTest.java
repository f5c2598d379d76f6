package org.apache.spark.shuffle.efa.registry;

import io.efashuffle.transfer.engine.FrameFuzzer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryCodecTest {
    private static final MapOutputLocation LOC = new MapOutputLocation(3, 17, 123456789L, "exec-2",
            "efa-shuffle/app-1/2", 0x7f00_1234_5000L, 1 << 20, 0x7f00_1244_5000L, 2400, 0x7f00_1244_9b08L);
    private static final MapOutputLocation OTHER = new MapOutputLocation(3, 18, 99L, "exec-9",
            "efa-shuffle/app-1/9", 0x7f00_0000_1000L, 4096, 0x7f00_0000_2000L, 2400, 0);

    private static final ShuffleCounts STATS = ShuffleCounts.of(java.util.stream.LongStream.rangeClosed(1, ShuffleCounts.SIZE).toArray());

    /** One message of every kind, with non-trivial fields. */
    static List<RegistryMessage> everyKind() {
        byte[] d = {1, 2, 3, (byte) 0xff};
        return List.of(new RegistryMessage.PublishSegment("e1", d), new RegistryMessage.RemoveSegment("s"),
                new RegistryMessage.LookupSegment("s"), new RegistryMessage.SegmentReply(d),
                new RegistryMessage.PublishMapOutput(LOC), new RegistryMessage.LookupMapOutputs(9, List.of(0, 17, 1999)),
                new RegistryMessage.ShuffleLocations(3, List.of(LOC, LOC)),
                new RegistryMessage.ShuffleLocationTable(3, RegistryCodec.encodeTable(List.of(LOC, OTHER)),
                        List.of("efa-shuffle/app-1/9")),
                new RegistryMessage.ReportStats(STATS),
                new RegistryMessage.GetStats(), new RegistryMessage.Stats(STATS), new RegistryMessage.Ack(),
                new RegistryMessage.SyncPeers("efa-shuffle/app-1/2", 41), new RegistryMessage.PeerChanges(42, true,
                        List.of(new RegistryMessage.PeerChanges.Joined("efa-shuffle/app-1/3", d)), List.of("gone")));
    }

    @Test
    void peerChangesSurviveARoundTrip() {
        byte[] d = {9, 8, 7};
        var c = (RegistryMessage.PeerChanges) roundTrip(new RegistryMessage.PeerChanges(42, true,
                List.of(new RegistryMessage.PeerChanges.Joined("a", d), new RegistryMessage.PeerChanges.Joined("b", d)),
                List.of("c", "d")));
        assertEquals(42, c.through());
        assertTrue(c.complete());
        assertEquals(List.of("a", "b"), c.joined().stream().map(RegistryMessage.PeerChanges.Joined::segmentName).toList());
        assertArrayEquals(d, c.joined().get(1).descriptor());
        assertEquals(List.of("c", "d"), c.left());
        assertEquals(new RegistryMessage.SyncPeers("s", 7), roundTrip(new RegistryMessage.SyncPeers("s", 7)));
    }

    private static RegistryMessage roundTrip(RegistryMessage m) {
        return RegistryCodec.decode(RegistryCodec.encode(m));
    }

    @Test
    void everyMessageSurvivesARoundTrip() {
        assertEquals(new RegistryMessage.PublishMapOutput(LOC), roundTrip(new RegistryMessage.PublishMapOutput(LOC)));
        var lookup = new RegistryMessage.LookupMapOutputs(9, List.of(0, 17, Integer.MAX_VALUE));
        assertEquals(lookup, roundTrip(lookup));
        assertEquals(new RegistryMessage.LookupMapOutputs(9, List.of()),
                roundTrip(new RegistryMessage.LookupMapOutputs(9, List.of())));
        assertEquals(new RegistryMessage.ShuffleLocations(3, List.of(LOC, LOC)),
                roundTrip(new RegistryMessage.ShuffleLocations(3, List.of(LOC, LOC))));
        var gated = new RegistryMessage.ShuffleLocations(3, List.of(LOC), List.of(4, Integer.MAX_VALUE));
        assertEquals(gated, roundTrip(gated));
        assertEquals(new RegistryMessage.RemoveSegment("s"), roundTrip(new RegistryMessage.RemoveSegment("s")));
        assertEquals(new RegistryMessage.LookupSegment("s"), roundTrip(new RegistryMessage.LookupSegment("s")));
        ShuffleCounts stats = ShuffleCounts.of(java.util.stream.LongStream.rangeClosed(1, ShuffleCounts.SIZE).toArray());
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
    void aTableNamesEachServerOnceAndAnswersTheAskedIndexesWithTheGatedOnesHeldBack() {
        List<MapOutputLocation> all = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            MapOutputLocation on = i % 2 == 0 ? LOC : OTHER;
            all.add(new MapOutputLocation(3, i, 1000 + i, on.executorId(), on.segmentName(), on.dataAddress(),
                    on.dataLength(), on.indexAddress(), on.numPartitions(), on.checksumAddress()));
        }
        byte[] table = RegistryCodec.encodeTable(all);
        int names = 4 + 2 * (2 + "exec-2".length() + 2 + "efa-shuffle/app-1/2".length());
        assertEquals(names + 4 + 300 * RegistryCodec.TABLE_LOCATION_BYTES, table.length);
        assertEquals(all, RegistryCodec.decodeTable(3, table));
        var reply = (RegistryMessage.ShuffleLocationTable) roundTrip(
                new RegistryMessage.ShuffleLocationTable(3, table, List.of(OTHER.segmentName())));
        // Asked: 0-3 and 500 (none); map 1 and 3 are on the server that has not inserted the asker yet.
        RegistryMessage.ShuffleLocations s = reply.select(List.of(0, 1, 2, 3, 500));
        assertEquals(List.of(all.get(0), all.get(2)), s.locations());
        assertEquals(List.of(1, 3), s.notYetServable());
    }

    @Test
    void aDamagedTableIsRefusedWhenItIsRead() {
        byte[] table = RegistryCodec.encodeTable(List.of(LOC, OTHER));
        FrameFuzzer fuzz = new FrameFuzzer(b -> RegistryCodec.decodeTable(3, b));
        fuzz.everyTruncationIsRefused(table);
        fuzz.hostileValuesEverywhere(table);
        // The first location's server index (after the two servers' names and the location count) past the servers.
        int serverAt = 4 + 2 * (2 + 6 + 2 + 19) + 4 + 4 + 8;
        String m = fuzz.assertRefused(FrameFuzzer.withInt(table, serverAt, 2)).getMessage();
        assertTrue(m.contains("server"), m);
        var reply = new RegistryMessage.ShuffleLocationTable(3, Arrays.copyOf(table, 7), List.of());
        assertThrows(IllegalArgumentException.class, () -> reply.select(List.of(17)));
    }

    @Test
    void locationsAreCompact() {
        int bytes = RegistryCodec.encode(new RegistryMessage.ShuffleLocations(3, List.of(LOC))).length;
        assertTrue(bytes < 100, "one location takes " + bytes + " bytes");
    }

    @Test
    void aLookupOfAFewMapOutputsIsSmallerThanTheirAnswer() {
        int ask = RegistryCodec.encode(new RegistryMessage.LookupMapOutputs(3, List.of(1, 2))).length;
        assertEquals(2 + 4 + 4 + 2 * 4, ask);
    }

    @Test
    void damagedFramesAreRefusedWithAReason() {
        byte[] good = RegistryCodec.encode(new RegistryMessage.PublishMapOutput(LOC));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertThrows(IllegalArgumentException.class, () -> RegistryCodec.decode(truncated));
        byte[] otherVersion = good.clone();
        otherVersion[0] = (byte) (RegistryCodec.VERSION + 1);
        var e = assertThrows(IllegalArgumentException.class, () -> RegistryCodec.decode(otherVersion));
        assertTrue(e.getMessage().contains("same shuffle-efa jar"), e.getMessage());
        byte[] unknownTag = {RegistryCodec.VERSION, 99};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistryCodec.decode(unknownTag))
                .getMessage().contains("unknown tag 99"));
    }

    @Test
    void countersFromAJarWithOtherCountersAreRefused() {
        byte[] good = RegistryCodec.encode(new RegistryMessage.ReportStats(STATS));
        byte[] fewer = Arrays.copyOf(good, good.length - 8); // version, tag, count, then the values
        fewer[2] = (byte) (ShuffleCounts.SIZE - 1);
        String m = assertThrows(IllegalArgumentException.class, () -> RegistryCodec.decode(fewer)).getMessage();
        assertTrue(m.contains(ShuffleCounts.SIZE - 1 + " counters"), m);
    }

    @Test
    void aFrameIsRefusedWhereItsKindDoesNotTravel() {
        byte[] report = RegistryCodec.encode(new RegistryMessage.ReportStats(STATS));
        assertEquals(new RegistryMessage.ReportStats(STATS),
                RegistryCodec.decode(report, RegistryMessageType.Direction.ONE_WAY));
        String m = assertThrows(IllegalArgumentException.class,
                () -> RegistryCodec.decode(report, RegistryMessageType.Direction.REQUEST)).getMessage();
        assertTrue(m.contains("REPORT_STATS is a ONE_WAY message"), m);
        byte[] ack = RegistryCodec.encode(new RegistryMessage.Ack());
        assertThrows(IllegalArgumentException.class, () -> RegistryCodec.decode(ack, RegistryMessageType.Direction.REQUEST));
        for (RegistryMessage k : everyKind()) { // each kind is accepted where it travels
            RegistryMessageType.Direction d = RegistryMessageType.of(k).direction;
            assertEquals(k.getClass(), RegistryCodec.decode(RegistryCodec.encode(k), d).getClass());
        }
    }

    @Test
    void aReplyOfAnotherKindIsRefusedNotCast() {
        byte[] ack = RegistryCodec.encode(new RegistryMessage.Ack());
        assertEquals(new RegistryMessage.Ack(), RegistryCodec.decodeReply(ack, RegistryMessage.Ack.class));
        String m = assertThrows(IllegalArgumentException.class,
                () -> RegistryCodec.decodeReply(ack, RegistryMessage.Stats.class)).getMessage();
        assertTrue(m.contains("Ack where Stats was expected"), m);
    }

    @Test
    void everyKindHasOneTagAndEveryTagOneKind() {
        Set<Class<?>> kinds = Arrays.stream(RegistryMessageType.values()).map(t -> t.kind).collect(Collectors.toSet());
        assertEquals(Set.of(RegistryMessage.class.getPermittedSubclasses()), kinds);
        assertEquals(kinds, everyKind().stream().map(Object::getClass).collect(Collectors.toSet()));
        for (RegistryMessage m : everyKind()) {
            RegistryMessageType t = RegistryMessageType.of(m);
            assertEquals(t, RegistryMessageType.ofTag(RegistryCodec.encode(m)[1]), m.toString());
        }
    }

    @Test
    void aSmallFrameClaimingHugeCountsIsRefusedWithoutAllocating() {
        FrameFuzzer fuzz = new FrameFuzzer(RegistryCodec::decode);
        // version, tag, shuffle id, then the server count at offset 6 and the location count at 10.
        byte[] locations = Arrays.copyOf(RegistryCodec.encode(new RegistryMessage.ShuffleLocations(3, List.of())), 30);
        // version, tag, shuffle id, then the table's length at offset 6.
        byte[] table = Arrays.copyOf(RegistryCodec.encode(new RegistryMessage.ShuffleLocationTable(3, new byte[0],
                List.of())), 30);
        // version, tag, empty executor id, then the descriptor length at offset 4.
        byte[] publish = Arrays.copyOf(RegistryCodec.encode(new RegistryMessage.PublishSegment("", new byte[0])), 30);
        // version, tag, shuffle id, then the map index count at offset 6.
        byte[] lookup = Arrays.copyOf(RegistryCodec.encode(new RegistryMessage.LookupMapOutputs(3, List.of())), 30);
        for (int n : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0x7fff, 1 << 16, 100}) {
            String m = fuzz.assertRefused(FrameFuzzer.withInt(locations, 6, n)).getMessage();
            assertTrue(m.contains("servers"), m);
            m = fuzz.assertRefused(FrameFuzzer.withInt(locations, 10, n)).getMessage();
            assertTrue(m.contains("locations"), m);
            m = fuzz.assertRefused(FrameFuzzer.withInt(table, 6, n)).getMessage();
            assertTrue(m.contains("location table"), m);
            m = fuzz.assertRefused(FrameFuzzer.withInt(lookup, 6, n)).getMessage();
            assertTrue(m.contains("map indexes"), m);
            m = fuzz.assertRefused(FrameFuzzer.withInt(publish, 4, n)).getMessage();
            assertTrue(m.contains("descriptor"), m);
        }
    }

    @Test
    void impossibleLocationsAreRefusedLegitOnesKept() {
        MapOutputLocation zero = new MapOutputLocation(0, 0, 0, "", "", 0, 0, 0, 0, 0);
        assertEquals(new RegistryMessage.PublishMapOutput(zero), roundTrip(new RegistryMessage.PublishMapOutput(zero)));
        byte[] good = RegistryCodec.encode(new RegistryMessage.PublishMapOutput(LOC));
        int strings = 2 + "exec-2".length() + 2 + "efa-shuffle/app-1/2".length();
        int dataLengthAt = 2 + 4 + 4 + 8 + strings + 8;
        FrameFuzzer fuzz = new FrameFuzzer(RegistryCodec::decode);
        String m = fuzz.assertRefused(FrameFuzzer.withInt(good, dataLengthAt, -1)).getMessage();
        assertTrue(m.contains("negative address or length"), m);
        m = fuzz.assertRefused(FrameFuzzer.withInt(good, 2 + 4, -5)).getMessage();
        assertTrue(m.contains("map index (-5)"), m);
        byte[] lookup = RegistryCodec.encode(new RegistryMessage.LookupMapOutputs(3, List.of(4)));
        m = fuzz.assertRefused(FrameFuzzer.withInt(lookup, 2 + 4 + 4, -4)).getMessage();
        assertTrue(m.contains("map index"), m);
        assertThrows(IllegalArgumentException.class, () -> new MapOutputLocation(0, 0, 0, "e", "s",
                Long.MAX_VALUE - 10, 11, 0, 1, 0));
    }

    @Test
    void damagedFramesOfEveryKindDecodeOrAreRefusedNeverWorse() {
        FrameFuzzer fuzz = new FrameFuzzer(RegistryCodec::decode);
        List<byte[]> valid = everyKind().stream().map(RegistryCodec::encode).toList();
        for (byte[] frame : valid) {
            fuzz.everyTruncationIsRefused(frame);
            fuzz.hostileValuesEverywhere(frame);
            byte[] trailing = Arrays.copyOf(frame, frame.length + 1);
            assertTrue(fuzz.assertRefused(trailing).getMessage().contains("trailing"));
        }
        fuzz.randomFrames(valid, 9, 300);
        assertTrue(fuzz.decoded() > 100 && fuzz.refused() > 1000, fuzz.decoded() + " decoded, " + fuzz.refused()
                + " refused");
    }
}
