package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ProviderAttributes;
import io.efashuffle.transfer.fabric.ffi.fabric_h;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EFA's memory-registration modes offered alone on the local providers ({@code mrModeOverride}):
 * each provider takes only the bits it needs (here tcp and sockets none, shm VIRT_ADDR; never one
 * it was not offered) and reads still arrive whole. FI_MR_LOCAL itself cannot be forced on a
 * provider that does not need it, and needs no forcing: the transport has no path without local
 * descriptors (every operation passes its registration's, FabricRailEndpoint.post), as it has none without a
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
        try (LoopbackPair pair = new LoopbackPair(config, 1 << 20)) {
            ProviderAttributes a = pair.readerTransport.railAttributes().getFirst();
            assertEquals(0, a.mrMode() & ~EFA_MR_MODE, provider + " uses a mode it was not offered: " + a.mrModeString());
            pair.readAllIn(2);
        }
    }
}
