package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.engine.InMemoryMetadataRegistry;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.engine.TransferRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two rails on one host (nics = the same domain twice), as several EFA devices are used on a p5:
 * requests go to the rails in turn, each rail reaches the peer's rail of the same index, and every
 * byte arrives.
 */
class TwoRailsTest {
    private static final int READS = 64;
    private static final int SIZE = 64 << 10;

    @ParameterizedTest
    @CsvSource({"tcp, lo", "sockets, lo", "shm, shm"})
    void readsAreSpreadOverBothRailsAndArriveWhole(String provider, String nic) throws Exception {
        TransportConfig config = TransportConfig.defaults(provider).withNics(List.of(nic, nic));
        InMemoryMetadataRegistry registry = new InMemoryMetadataRegistry();
        try (Arena arena = Arena.ofShared();
             TransferEngine reader = new TransferEngine("rails-reader", registry);
             TransferEngine server = new TransferEngine("rails-server", registry)) {
            FabricTransport transport = new FabricTransport(config);
            assertTrue(transport.describe().contains("rail 1: "), transport.describe());
            reader.installTransport(transport);
            server.installTransport(new FabricTransport(config));
            MemorySegment into = arena.allocate((long) READS * SIZE, 4096);
            MemorySegment served = arena.allocate((long) READS * SIZE, 4096);
            for (long i = 0; i < served.byteSize(); i += 8) {
                served.set(ValueLayout.JAVA_LONG_UNALIGNED, i, i * 0x9E3779B97F4A7C15L);
            }
            reader.registerLocalMemory(into, "cpu:0", RemoteAccess.NONE);
            server.registerLocalMemory(served, "cpu:0", RemoteAccess.READ);
            long id = reader.openSegment("rails-server");
            List<TransferRequest> reads = new ArrayList<>();
            for (int r = 0; r < READS; r++) {
                long at = (long) r * SIZE;
                reads.add(TransferRequest.read(into.asSlice(at, SIZE), id, served.address() + at));
            }
            reader.transferAsync(reads).get(30, TimeUnit.SECONDS);
            assertEquals(-1, into.mismatch(served), provider + ": bytes differ");
            List<Long> byRail = transport.completedByRail();
            assertEquals(2, byRail.size());
            assertTrue(byRail.get(0) >= READS / 4 && byRail.get(1) >= READS / 4,
                    provider + ": reads by rail " + byRail + ", expected both to carry about half");
        }
    }
}
