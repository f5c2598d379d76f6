package org.apache.spark.shuffle.efa.registry;

import io.efashuffle.transfer.engine.InMemoryMetadataRegistry;
import io.efashuffle.transfer.engine.SegmentDescriptor;
import io.efashuffle.transfer.engine.SegmentDescriptorCodec;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.transport.EndpointAddresses;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An executor's peer sync against a scripted driver (beside PeersInsertedAheadSuite, which runs
 * the real one): real tcp engines, the marks it reports, and what it inserts and removes.
 */
class PeerSyncTest {
    private static final TransportConfig TCP = TransportConfig.fromProperties(Map.of("provider", "tcp", "nics", "lo"));

    @Test
    void insertsJoinsRemovesDeparturesAndReportsOnlyWhatItApplied() throws Exception {
        InMemoryMetadataRegistry registry = new InMemoryMetadataRegistry();
        try (TransferEngine self = new TransferEngine("self", registry);
             TransferEngine a = new TransferEngine("a", registry);
             TransferEngine b = new TransferEngine("b", registry)) {
            self.installTransport(new FabricTransport(TCP));
            a.installTransport(new FabricTransport(TCP));
            b.installTransport(new FabricTransport(TCP));
            byte[] da = SegmentDescriptorCodec.encode(a.localDescriptor());
            byte[] db = SegmentDescriptorCodec.encode(b.localDescriptor());
            byte[] foreign = SegmentDescriptorCodec.encode(new SegmentDescriptor("gpu-box", "verbs",
                    new EndpointAddresses(List.of(new byte[8]), Map.of()), List.of()));
            List<Long> marks = new ArrayList<>();
            ConcurrentLinkedQueue<Object> script = new ConcurrentLinkedQueue<>(List.of(
                    changes(3, true, List.of(joined("a", da), joined("self", da), joined("gpu-box", foreign)), List.of()),
                    new IllegalStateException("driver busy"), // a failed ask keeps the mark
                    changes(4, false, List.of(joined("b", db)), List.of()),
                    changes(5, false, List.of(), List.of("a"))));
            PeerSync sync = new PeerSync(self, (name, mark) -> {
                assertEquals("self", name);
                synchronized (marks) {
                    marks.add(mark);
                }
                Object next = script.poll();
                if (next instanceof RuntimeException e) {
                    throw e;
                }
                return next != null ? (RegistryMessage.PeerChanges) next : changes(mark, false, List.of(), List.of());
            }, Duration.ofMillis(20)).start();
            try (sync) {
                await(() -> sync.mark() == 5 && self.knownPeers().equals(Set.of("b")));
            }
            assertEquals(Set.of("b"), self.knownPeers(), "a left, b joined, itself and the foreign peer skipped");
            synchronized (marks) {
                assertEquals(List.of(0L, 3L, 3L, 4L, 5L), marks.subList(0, 5), "each mark reported once applied");
            }
        }
    }

    private static RegistryMessage.PeerChanges.Joined joined(String name, byte[] d) {
        return new RegistryMessage.PeerChanges.Joined(name, d);
    }

    private static RegistryMessage.PeerChanges changes(long through, boolean complete,
                                                       List<RegistryMessage.PeerChanges.Joined> joined, List<String> left) {
        return new RegistryMessage.PeerChanges(through, complete, joined, left);
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(done.getAsBoolean(), "peer sync did not get there in 10 s");
    }
}
