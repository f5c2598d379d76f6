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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code fabric} setting: the policy, and real transports on tcp loopback's fabrics. */
class FabricChoiceTest {
    @Test
    void autoPinsTheEfaFabricAndTakesTheFirstElsewhere() {
        assertEquals("efa", FabricChoice.resolve("efa", "auto", false));
        assertEquals("efa", FabricChoice.resolve("efa", "auto", true), "efa-direct only when asked for");
        assertNull(FabricChoice.resolve("tcp", "auto", false));
        assertNull(FabricChoice.resolve("shm", "auto", false));
        assertEquals("::1/128", FabricChoice.resolve("tcp", "::1/128", false));
        String m = assertThrows(FabricException.class, () -> FabricChoice.resolve("efa", "efa-direct", false))
                .getMessage();
        assertTrue(m.contains("address vector") && m.contains("peers.insertAhead") && m.contains("fabric=auto"), m);
        assertEquals("efa-direct", FabricChoice.resolve("efa", "efa-direct", true), "peers inserted ahead");
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
