package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ffi.fabric_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer's endpoint name reaches fi_av_insert only if the provider can read it whole: as long as
 * this endpoint's own name for fixed-size formats, NUL-terminated for string addresses.
 */
class PeerAddressRuleTest {
    private static final int FI_SOCKADDR_IN = 2;

    @Test
    void fixedSizeAddressesMustBeAsLongAsOurOwn() {
        PeerAddressRule rule = PeerAddressRule.of(FI_SOCKADDR_IN, new byte[16]);
        assertDoesNotThrow(() -> rule.check("p", new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> rule.check("p", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> rule.check("p", new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> rule.check("p", new byte[1024]));
    }

    @Test
    void stringAddressesMustEndInANul() {
        PeerAddressRule rule = PeerAddressRule.of(fabric_h.FI_ADDR_STR(), "fi_shm://1\0".getBytes(StandardCharsets.US_ASCII));
        assertDoesNotThrow(() -> rule.check("p", "fi_shm://12345\0".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class, () -> rule.check("p", "fi_shm://12345".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class, () -> rule.check("p", new byte[]{0}), "empty string");
        byte[] tooLong = new byte[PeerAddressRule.MAX_STRING_NAME + 1];
        java.util.Arrays.fill(tooLong, (byte) 'a');
        tooLong[tooLong.length - 1] = 0;
        assertThrows(IllegalArgumentException.class, () -> rule.check("p", tooLong));
    }

    @ParameterizedTest
    @CsvSource({"tcp, lo", "shm, shm"})
    void aMalformedNameIsRefusedBeforeTheProviderReadsItAndTheTransportGoesOn(String provider, String nic)
            throws Exception {
        TransportConfig config = TransportConfig.defaults(provider).withNics(List.of(nic));
        try (LoopbackPair pair = new LoopbackPair(config, 1 << 20)) {
            byte[] own = pair.serverDescriptor().endpoint().endpointNames().get(0);
            byte[] cut = java.util.Arrays.copyOf(own, Math.max(1, own.length - 1)); // shm: loses its NUL
            for (byte[] name : List.of(cut, new byte[]{7, 7, 7})) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> pair.readerTransport.connect("forged", new EndpointAddresses(List.of(name), Map.of())));
                assertTrue(e.getMessage().contains("peer 'forged' publishes endpoint name of " + name.length + " bytes"),
                        e.getMessage());
            }
            assertEquals(1, pair.readerTransport.peerAddresses(), "nothing inserted for the forged peer");
            pair.readAllIn(4);
        }
    }
}
