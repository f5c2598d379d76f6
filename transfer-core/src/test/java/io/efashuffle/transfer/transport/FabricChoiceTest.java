package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.FabricHints;
import io.efashuffle.transfer.fabric.FabricInfo;
import io.efashuffle.transfer.fabric.Fi;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code fabric} setting: the policy, and real transports on tcp loopback's fabrics. */
class FabricChoiceTest {
    private static final Set<String> BOTH = Set.of("efa-direct", "efa");
    private static final Set<String> EFA_ONLY = Set.of("efa");

    @Test
    void autoTakesEfaDirectOnlyWhereOfferedAndPeersAreInsertedAhead() {
        assertEquals("efa-direct", FabricChoice.resolve("efa", "auto", true, () -> BOTH));
        assertEquals("efa", FabricChoice.resolve("efa", "auto", true, () -> EFA_ONLY), "libfabric 1.x, no RDMA read");
        assertEquals("efa", FabricChoice.resolve("efa", "auto", false, () -> BOTH), "initiators unknown to targets");
        Supplier<Set<String>> unasked = () -> { throw new AssertionError("offered fabrics asked"); };
        assertNull(FabricChoice.resolve("tcp", "auto", true, unasked));
        assertNull(FabricChoice.resolve("shm", "auto", false, unasked));
        assertEquals("::1/128", FabricChoice.resolve("tcp", "::1/128", false, unasked));
        assertEquals("efa", FabricChoice.resolve("efa", "efa", true, unasked), "a named fabric is required as given");
    }

    @Test
    void efaDirectIsRefusedWithoutPeersInsertedAhead() {
        String m = assertThrows(FabricException.class, () -> FabricChoice.resolve("efa", "efa-direct", false, () -> BOTH))
                .getMessage();
        assertTrue(m.contains("address vector") && m.contains("peers.insertAhead") && m.contains("fabric=auto"), m);
        assertEquals("efa-direct", FabricChoice.resolve("efa", "efa-direct", true, () -> BOTH), "peers inserted ahead");
    }

    @Test
    void theSettingIsReadAndAnEmptyNameRefused() {
        assertEquals("auto", TransportConfig.defaults("tcp").fabric());
        assertEquals("127.0.0.1/32", TransportConfig.fromProperties(java.util.Map.of("fabric", " 127.0.0.1/32")).fabric());
        assertThrows(IllegalArgumentException.class, () -> TransportConfig.fromProperties(java.util.Map.of("fabric", " ")));
    }

    private static Set<String> loopbackFabrics() {
        Set<String> names = new LinkedHashSet<>();
        try (FabricInfo info = FabricInfo.query(FabricHints.of("tcp", "lo"), Fi.requestedApiVersion())) {
            for (MemorySegment e : info.entries()) {
                if (FabricInfo.attributes(e).domain().equals("lo")) {
                    names.add(FabricInfo.attributes(e).fabric());
                }
            }
        }
        return names;
    }

    /** A 1 MiB read between two engines whose transports both require {@code fabric}. */
    private static void readOver(String fabric) throws Exception {
        TransportConfig config = TransportConfig.defaults("tcp").withNics(List.of("lo")).withFabric(fabric);
        try (LoopbackPair pair = new LoopbackPair(config, 1 << 20)) {
            String line = pair.readerTransport.describe();
            assertTrue(line.contains("fabric=" + fabric + " domain=lo"), line);
            pair.readAllIn(1);
        }
    }

    @Test
    void eachLoopbackFabricCarriesReadsWhenNamed() throws Exception {
        Set<String> fabrics = loopbackFabrics();
        assertTrue(fabrics.contains("127.0.0.1/32"), "tcp on lo offers " + fabrics);
        for (String fabric : fabrics) { // IPv6 loopback too, where the host has it
            readOver(fabric);
        }
    }

    @Test
    void aFabricTheProviderDoesNotOfferIsRefusedWithWhatItOffers() {
        TransportConfig config = TransportConfig.defaults("tcp").withNics(List.of("lo")).withFabric("198.51.100.0/24");
        String m = assertThrows(FabricException.class, () -> new FabricTransport(config).close()).getMessage();
        assertTrue(m.contains("198.51.100.0/24") && m.contains("127.0.0.1/32") && m.contains("fabric"), m);
    }
}
