package io.efashuffle.transfer.transport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

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
        try (LoopbackPair pair = new LoopbackPair(config, (long) READS * SIZE)) {
            FabricTransport transport = pair.readerTransport;
            assertTrue(transport.describe().contains("rail 1: "), transport.describe());
            pair.readAllIn(READS);
            List<Long> byRail = transport.completedByRail();
            assertEquals(2, byRail.size());
            assertTrue(byRail.get(0) >= READS / 4 && byRail.get(1) >= READS / 4,
                    provider + ": reads by rail " + byRail + ", expected both to carry about half");
        }
    }
}
