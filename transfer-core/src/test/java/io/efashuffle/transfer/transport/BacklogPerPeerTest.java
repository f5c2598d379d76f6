package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.engine.InMemoryMetadataRegistry;
import io.efashuffle.transfer.engine.Transfer;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.engine.TransferRequest;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer whose endpoint has closed (its executor's fabric failed) can keep a provider answering
 * -FI_EAGAIN for reads to it (tcp;ofi_rxm tries to connect again and again). Reads to other peers
 * must not queue behind them until their deadline: here reads to a live server, submitted after
 * reads to the closed one, finish while those still wait.
 */
class BacklogPerPeerTest {
    @Test
    void readsToALivePeerGoPastReadsToAPeerThatClosed() throws Exception {
        TransportConfig config = TransportConfig.defaults("tcp").withOperationTimeout(Duration.ofSeconds(8));
        InMemoryMetadataRegistry registry = new InMemoryMetadataRegistry();
        try (Arena arena = Arena.ofShared();
             TransferEngine reader = new TransferEngine("reader", registry);
             TransferEngine live = new TransferEngine("live", registry)) {
            reader.installTransport(new FabricTransport(config));
            live.installTransport(new FabricTransport(config));
            TransferEngine closed = new TransferEngine("closed", registry);
            closed.installTransport(new FabricTransport(config));
            MemorySegment into = arena.allocate(1 << 20, 4096);
            MemorySegment served = arena.allocate(1 << 16, 4096);
            MemorySegment gone = arena.allocate(1 << 16, 4096);
            reader.registerLocalMemory(into, "cpu:0", RemoteAccess.NONE);
            live.registerLocalMemory(served, "cpu:0", RemoteAccess.READ);
            closed.registerLocalMemory(gone, "cpu:0", RemoteAccess.READ);
            long toLive = reader.openSegment("live");
            long toClosed = reader.openSegment("closed");
            closed.close(); // its endpoint is gone; its descriptor is still known to the reader

            List<TransferRequest> stuck = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                stuck.add(TransferRequest.read(into.asSlice(i * 65536L, 4096), toClosed, gone.address()));
            }
            Transfer waiting = reader.submitAsync(stuck);
            long t0 = System.nanoTime();
            reader.transferAsync(List.of(TransferRequest.read(into.asSlice(8 * 65536L, 65536), toLive,
                    served.address()))).get(15, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 4_000, "a read to the live peer waited " + ms + " ms behind reads to a closed one");
            assertEquals(-1, into.asSlice(8 * 65536L, 65536).mismatch(served));
            waiting.done().handle((v, e) -> null).get(60, TimeUnit.SECONDS);
            waiting.released().get(60, TimeUnit.SECONDS);
        }
    }
}
