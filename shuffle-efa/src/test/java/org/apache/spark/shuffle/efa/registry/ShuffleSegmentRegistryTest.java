package org.apache.spark.shuffle.efa.registry;

import io.efashuffle.transfer.engine.BufferDescriptor;
import io.efashuffle.transfer.engine.FrameFuzzer;
import io.efashuffle.transfer.engine.SegmentDescriptor;
import io.efashuffle.transfer.engine.SegmentDescriptorCodec;
import io.efashuffle.transfer.transport.EndpointAddresses;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcCallContext;
import org.junit.jupiter.api.Test;
import scala.runtime.BoxedUnit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The driver endpoint answers malformed frames with a failure and keeps serving. */
class ShuffleSegmentRegistryTest {
    private static final RpcAddress EXECUTOR = new RpcAddress("127.0.0.1", 40001);

    /** What the caller of askSync gets back: a reply or a failure. */
    private static final class Call implements RpcCallContext {
        final RpcAddress sender;
        Object reply;
        Throwable failure;

        Call(RpcAddress sender) {
            this.sender = sender;
        }

        @Override
        public void reply(Object response) {
            reply = response;
        }

        @Override
        public void sendFailure(Throwable e) {
            failure = e;
        }

        @Override
        public RpcAddress senderAddress() {
            return sender;
        }
    }

    private final ShuffleSegmentRegistry registry = new ShuffleSegmentRegistry(null);

    /** Delivers a frame as Spark's Inbox does: NonFatal exceptions go back to the caller as failures. */
    private Call ask(byte[] frame) {
        return ask(registry, EXECUTOR, frame);
    }

    private static Call ask(ShuffleSegmentRegistry registry, RpcAddress sender, byte[] frame) {
        Call call = new Call(sender);
        try {
            registry.receiveAndReply(call).applyOrElse(frame, x -> BoxedUnit.UNIT);
        } catch (Error e) {
            fail("an Error escaped the endpoint, Spark would not report it to the caller", e);
        } catch (RuntimeException e) {
            call.sendFailure(e);
        }
        return call;
    }

    private RegistryMessage askOk(RegistryMessage m) {
        return askOk(registry, EXECUTOR, m);
    }

    private static RegistryMessage askOk(ShuffleSegmentRegistry registry, RpcAddress sender, RegistryMessage m) {
        Call call = ask(registry, sender, RegistryCodec.encode(m));
        assertNull(call.failure);
        return RegistryCodec.decode((byte[]) call.reply);
    }

    @Test
    void malformedFramesFailTheCallAndTheEndpointKeepsServing() {
        SegmentDescriptor segment = new SegmentDescriptor("efa-shuffle/app-1/2", "tcp",
                new EndpointAddresses(List.of(new byte[16]), Map.of()), List.of(new BufferDescriptor(0, 4096, "cpu:0",
                new long[] {7})));
        byte[] descriptor = SegmentDescriptorCodec.encode(segment);
        MapOutputLocation loc = new MapOutputLocation(4, 0, 77, "2", segment.name(), 0, 100, 200, 3, 0);
        List<byte[]> bad = new ArrayList<>();
        byte[] publish = RegistryCodec.encode(new RegistryMessage.PublishSegment("2", descriptor));
        bad.add(Arrays.copyOf(publish, publish.length - 1));
        bad.add(FrameFuzzer.withInt(publish, 2 + 2 + 1, Integer.MAX_VALUE)); // descriptor length
        // A well-formed message around a damaged descriptor: refused when the registry reads it.
        bad.add(RegistryCodec.encode(new RegistryMessage.PublishSegment("2", Arrays.copyOf(descriptor, 20))));
        bad.add(RegistryCodec.encode(new RegistryMessage.Ack())); // a reply is not a request
        Random random = new Random(9);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            bad.add(junk);
        }
        for (byte[] frame : bad) {
            Call call = ask(frame);
            if (call.reply == null) {
                assertInstanceOf(IllegalArgumentException.class, call.failure);
            }
        }
        assertEquals(0, registry.segmentCount());

        assertInstanceOf(RegistryMessage.Ack.class, askOk(new RegistryMessage.PublishSegment("2", descriptor)));
        send(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(loc)));
        assertArrayEquals(descriptor, ((RegistryMessage.SegmentReply) askOk(
                new RegistryMessage.LookupSegment(segment.name()))).descriptor());
        assertEquals(new RegistryMessage.ShuffleLocations(4, List.of(loc)),
                askOk(new RegistryMessage.LookupMapOutputs(4, List.of(0))));
        assertEquals(1, ((RegistryMessage.Stats) askOk(new RegistryMessage.GetStats())).counts().get(ShuffleCounter.STAGED_MAP_OUTPUTS));
    }

    @Test
    void whereExecutorsInsertPeersAheadAReaderGetsAServersOutputsOnlyOnceTheServerHasInsertedIt() {
        ShuffleSegmentRegistry gated = new ShuffleSegmentRegistry(null, true);
        RpcAddress server = new RpcAddress("10.0.0.1", 40001);
        RpcAddress reader = new RpcAddress("10.0.0.2", 40001);
        for (var e : Map.of("server", server, "reader", reader).entrySet()) {
            askOk(gated, e.getValue(), new RegistryMessage.PublishSegment(e.getKey(), SegmentDescriptorCodec.encode(
                    new SegmentDescriptor(e.getKey(), "tcp", new EndpointAddresses(List.of(new byte[16]), Map.of()),
                            List.of()))));
        }
        MapOutputLocation loc = new MapOutputLocation(6, 0, 60, "server", "server", 0, 10, 20, 2, 0);
        gated.receive().applyOrElse(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(loc)), x -> BoxedUnit.UNIT);
        RegistryMessage lookup = new RegistryMessage.LookupMapOutputs(6, List.of(0));
        RegistryMessage.ShuffleLocations none = new RegistryMessage.ShuffleLocations(6, List.of());
        RegistryMessage.ShuffleLocations notYet = new RegistryMessage.ShuffleLocations(6, List.of(), List.of(0));
        assertEquals(notYet, askOk(gated, reader, lookup), "the server has not inserted the reader yet");
        var told = (RegistryMessage.PeerChanges) askOk(gated, server, new RegistryMessage.SyncPeers("server", 0));
        assertEquals(List.of("reader"), told.joined().stream().map(RegistryMessage.PeerChanges.Joined::segmentName).toList());
        assertEquals(notYet, askOk(gated, reader, lookup), "told, not yet reported inserted");
        askOk(gated, server, new RegistryMessage.SyncPeers("server", told.through()));
        assertEquals(new RegistryMessage.ShuffleLocations(6, List.of(loc)), askOk(gated, reader, lookup));
        assertEquals(new RegistryMessage.ShuffleLocations(6, List.of(loc)), askOk(gated, server, lookup), "its own");
        assertEquals(none, askOk(gated, new RpcAddress("10.0.0.3", 1), lookup), "no segment, no fabric reads");
        // A look-up of most of a big shuffle gets the whole table, once encoded, gated alike.
        List<Integer> many = new java.util.ArrayList<>();
        for (int i = 1; i <= ShuffleSegmentRegistry.TABLE_REPLY_MIN; i++) {
            many.add(i);
            gated.receive().applyOrElse(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(new MapOutputLocation(
                    6, i, 60 + i, "server", "server", 0, 10, 20, 2, 0))), x -> BoxedUnit.UNIT);
        }
        RpcAddress late = new RpcAddress("10.0.0.4", 40001);
        askOk(gated, late, new RegistryMessage.PublishSegment("late", SegmentDescriptorCodec.encode(new SegmentDescriptor(
                "late", "tcp", new EndpointAddresses(List.of(new byte[16]), Map.of()), List.of()))));
        RegistryMessage bigLookup = new RegistryMessage.LookupMapOutputs(6, many);
        var forReader = (RegistryMessage.ShuffleLocationTable) askOk(gated, reader, bigLookup);
        var forLate = (RegistryMessage.ShuffleLocationTable) askOk(gated, late, bigLookup);
        assertTrue(((RegistryMessage.ShuffleLocationTable) gated.handle(bigLookup, reader)).table()
                == ((RegistryMessage.ShuffleLocationTable) gated.handle(bigLookup, late)).table(), "encoded once for both");
        assertEquals(List.of("late"), forReader.notYetServable(), "late has not inserted the reader: it serves nothing here");
        assertEquals(List.of("reader", "server"), forLate.notYetServable().stream().sorted().toList(),
                "nobody has inserted the late executor yet");
        assertEquals(many, forReader.select(many).locations().stream().map(MapOutputLocation::mapIndex).toList());
        assertEquals(many, forLate.select(many).notYetServable());
        gated.receive().applyOrElse(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(new MapOutputLocation(
                6, 0, 61, "server", "server", 0, 10, 20, 2, 0))), x -> BoxedUnit.UNIT);
        var after = (RegistryMessage.ShuffleLocationTable) askOk(gated, reader, bigLookup);
        assertEquals(61, after.select(List.of(0)).locations().get(0).mapId());
        askOk(gated, server, new RegistryMessage.RemoveSegment("server"));
        var gone = (RegistryMessage.ShuffleLocationTable) askOk(gated, reader, bigLookup);
        assertEquals(List.of(), gone.select(many).locations(), "a withdrawn segment's outputs leave the table");
        // Without insertion ahead (the default) nothing is gated and nobody is told of peers.
        assertEquals(new RegistryMessage.PeerChanges(0, false, List.of(), List.of()),
                askOk(new RegistryMessage.SyncPeers("x", 0)));
    }

    private void publishSegment(String name) {
        askOk(new RegistryMessage.PublishSegment("1", SegmentDescriptorCodec.encode(new SegmentDescriptor(name, "tcp",
                new EndpointAddresses(List.of(new byte[16]), Map.of()), List.of()))));
    }

    @Test
    void aLookupAnswersOnlyTheMapIndexesAskedThatHaveEntries() {
        publishSegment("seg");
        List<MapOutputLocation> published = new ArrayList<>();
        for (int mapIndex = 0; mapIndex < 5; mapIndex++) {
            MapOutputLocation loc = new MapOutputLocation(7, mapIndex, 100 + mapIndex, "1", "seg", 0, 10, 20, 2, 0);
            published.add(loc);
            send(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(loc)));
        }
        assertEquals(new RegistryMessage.ShuffleLocations(7, List.of(published.get(3), published.get(1))),
                askOk(new RegistryMessage.LookupMapOutputs(7, List.of(3, 9, 1))));
        assertEquals(new RegistryMessage.ShuffleLocations(8, List.of()),
                askOk(new RegistryMessage.LookupMapOutputs(8, List.of(0))));
    }

    @Test
    void mapOutputsOfAWithdrawnSegmentAreNotKept() {
        publishSegment("seg");
        MapOutputLocation loc = new MapOutputLocation(5, 0, 50, "1", "seg", 0, 10, 20, 2, 0);
        askOk(new RegistryMessage.RemoveSegment("seg"));
        send(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(loc))); // sent before it was withdrawn
        assertEquals(new RegistryMessage.ShuffleLocations(5, List.of()),
                askOk(new RegistryMessage.LookupMapOutputs(5, List.of(0))));
        assertInstanceOf(IllegalArgumentException.class,
                ask(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(loc))).failure, "one-way only");
    }

    /** Delivers a one-way frame as Spark's Inbox does for {@code send}. */
    private void send(byte[] frame) {
        registry.receive().applyOrElse(frame, x -> BoxedUnit.UNIT);
    }

    @Test
    void statsArriveOneWayOnlyAndAddUp() {
        ShuffleCounts one = ShuffleCounts.of(java.util.Arrays.copyOf(new long[] {100, 2, 0, 1, 4, 2}, ShuffleCounts.SIZE));
        send(RegistryCodec.encode(new RegistryMessage.ReportStats(one)));
        send(RegistryCodec.encode(new RegistryMessage.ReportStats(one)));
        assertEquals(one.plus(one), registry.stats());
        // Stats are never asked for a reply (the sender would wait), nor anything else sent one-way.
        assertInstanceOf(IllegalArgumentException.class,
                ask(RegistryCodec.encode(new RegistryMessage.ReportStats(one))).failure);
        for (byte[] frame : List.of(RegistryCodec.encode(new RegistryMessage.GetStats()), new byte[] {1, 2, 3})) {
            assertThrows(IllegalArgumentException.class, () -> send(frame));
        }
        assertEquals(one.plus(one), registry.stats());
    }

    @Test
    void anExecutorActsOnlyOnItsOwnSegment() {
        ShuffleSegmentRegistry gated = new ShuffleSegmentRegistry(null, true);
        RpcAddress owner = new RpcAddress("10.0.0.1", 40001);
        RpcAddress other = new RpcAddress("10.0.0.2", 40001);
        byte[] descriptor = SegmentDescriptorCodec.encode(new SegmentDescriptor("efa-shuffle/app/1", "tcp",
                new EndpointAddresses(List.of(new byte[16]), Map.of()), List.of()));
        askOk(gated, owner, new RegistryMessage.PublishSegment("1", descriptor));
        byte[] forged = SegmentDescriptorCodec.encode(new SegmentDescriptor("efa-shuffle/app/1", "tcp",
                new EndpointAddresses(List.of(new byte[16]), Map.of("x", "y")), List.of()));
        byte[] claimed = SegmentDescriptorCodec.encode(new SegmentDescriptor("efa-shuffle/app/9", "tcp",
                new EndpointAddresses(List.of(new byte[16]), Map.of()), List.of()));
        for (RegistryMessage m : List.of(new RegistryMessage.RemoveSegment("efa-shuffle/app/1"),
                new RegistryMessage.PublishSegment("2", forged), new RegistryMessage.PublishSegment("1", claimed),
                new RegistryMessage.SyncPeers("efa-shuffle/app/1", 0))) {
            Call call = ask(gated, other, RegistryCodec.encode(m));
            assertInstanceOf(IllegalArgumentException.class, call.failure, m.getClass().getSimpleName());
            assertTrue(call.failure.getMessage().contains("10.0.0.2"), call.failure.getMessage());
        }
        assertArrayEquals(descriptor, gated.segments().containsKey("efa-shuffle/app/1")
                ? SegmentDescriptorCodec.encode(gated.segments().get("efa-shuffle/app/1")) : null, "untouched");
        assertEquals(1, gated.segmentCount());
        // A location in executor 1's segment that names another executor is not taken.
        MapOutputLocation wrong = new MapOutputLocation(3, 0, 30, "2", "efa-shuffle/app/1", 0, 10, 20, 2, 0);
        gated.receive().applyOrElse(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(wrong)), x -> BoxedUnit.UNIT);
        assertEquals(0, gated.mapOutputCount());
        // The owner still may.
        askOk(gated, owner, new RegistryMessage.SyncPeers("efa-shuffle/app/1", 0));
        askOk(gated, owner, new RegistryMessage.PublishSegment("1", descriptor));
        askOk(gated, owner, new RegistryMessage.RemoveSegment("efa-shuffle/app/1"));
        assertEquals(0, gated.segmentCount());
    }
}
