package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.engine.InMemoryMetadataRegistry;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.fabric.ProviderAttributes;
import io.efashuffle.transfer.fabric.ffi.fabric_h;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EFA's memory-registration modes offered alone on the local providers ({@code mrModeOverride}):
 * each provider takes only the bits it needs (here tcp and sockets none, shm VIRT_ADDR; never one
 * it was not offered) and reads still arrive whole. FI_MR_LOCAL itself cannot be forced on a
 * provider that does not need it, and needs no forcing: the transport has no path without local
 * descriptors (every operation passes its registration's, Rail.post), as it has none without a
 * 64-byte FI_CONTEXT2 context per operation (OperationSlots).
 */
class ForcedModesTest {
    private static final int EFA_MR_MODE = fabric_h.FI_MR_LOCAL() | fabric_h.FI_MR_VIRT_ADDR()
            | fabric_h.FI_MR_ALLOCATED() | fabric_h.FI_MR_PROV_KEY();

    @ParameterizedTest
    @CsvSource({"tcp, lo", "sockets, lo", "shm, shm"})
    void efasRegistrationModeOfferedAloneStillReadsEveryByte(String provider, String nic) throws Exception {
        TransportConfig config = TransportConfig.fromProperties(Map.of("provider", provider, "nics", nic,
                "mrModeOverride", Integer.toString(EFA_MR_MODE)));
        InMemoryMetadataRegistry registry = new InMemoryMetadataRegistry();
        try (Arena arena = Arena.ofShared();
             TransferEngine reader = new TransferEngine("forced-reader", registry);
             TransferEngine server = new TransferEngine("forced-server", registry)) {
            FabricTransport transport = new FabricTransport(config);
            ProviderAttributes a = transport.railAttributes().getFirst();
            assertEquals(0, a.mrMode() & ~EFA_MR_MODE, provider + " uses a mode it was not offered: " + a.mrModeString());
            reader.installTransport(transport);
            server.installTransport(new FabricTransport(config));
            MemorySegment into = arena.allocate(1 << 20, 4096);
            MemorySegment served = arena.allocate(1 << 20, 4096);
            for (long i = 0; i < served.byteSize(); i += 8) {
                served.set(ValueLayout.JAVA_LONG_UNALIGNED, i, ~i * 0x9E3779B97F4A7C15L);
            }
            reader.registerLocalMemory(into, "cpu:0", RemoteAccess.NONE);
            server.registerLocalMemory(served, "cpu:0", RemoteAccess.READ);
            long id = reader.openSegment("forced-server");
            long half = served.byteSize() / 2;
            reader.transferAsync(List.of(TransferRequest.read(into.asSlice(0, half), id, served.address()),
                    TransferRequest.read(into.asSlice(half, half), id, served.address() + half)))
                    .get(20, TimeUnit.SECONDS);
            assertEquals(-1, into.mismatch(served), provider + ": bytes differ");
        }
    }
}
