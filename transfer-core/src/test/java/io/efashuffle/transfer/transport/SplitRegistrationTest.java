package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory larger than one registration may be (the provider's limit, or {@code registrationBytes})
 * is registered in pieces, each with its own key, and still read as one buffer: reads that cross
 * piece boundaries on either side arrive whole, over real providers.
 */
class SplitRegistrationTest {
    private static final long MIB = 1 << 20;

    @ParameterizedTest
    @CsvSource({"tcp, lo", "shm, shm"})
    void readsAcrossPiecesOnBothSidesArriveWhole(String provider, String nic) throws Exception {
        TransportConfig config = TransportConfig.fromProperties(Map.of("provider", provider, "nics", nic,
                "registrationBytes", Long.toString(64 << 10)));
        try (LoopbackPair pair = new LoopbackPair(config, MIB)) {
            assertEquals(16, pair.publishedBuffers(), "1 MiB in 64 KiB registrations");
            assertEquals(MIB, pair.readerTransport.registeredBytes());
            pair.readAllIn(1); // one request over all 16 pieces, local and remote
            pair.readAt(5000, 70_000, 300_000); // boundaries at different offsets on each side
            pair.readAt(65_535, 65_535, 2); // two bytes, one on each side of a boundary
            pair.readAt(MIB - 1, 0, 1);
        }
    }

    @Test
    void allPiecesAreReleasedTogether() throws Exception {
        TransportConfig config = TransportConfig.fromProperties(Map.of("provider", "tcp", "nics", "lo",
                "registrationBytes", Long.toString(256 << 10)));
        try (LoopbackPair pair = new LoopbackPair(config, MIB)) {
            pair.readAt(0, 200_000, 200_000);
            assertEquals(4, pair.serverPublishedBuffers());
            pair.unregisterServed();
            assertEquals(0, pair.serverPublishedBuffers(), "every piece withdrawn");
            // The reader still holds the old keys: its read is refused by the provider, not served.
            ExecutionException e = assertThrows(ExecutionException.class, () -> pair.readAt(0, 0, 4096));
            assertTrue(e.getCause() instanceof RuntimeException, String.valueOf(e.getCause()));
        }
    }
}
