package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Everyone who names one peer address shares its address-vector slot: letting go of one segment
 * leaves the slot to the others, over tcp, and the last one removes it.
 */
class PeerSlotsTest {
    @Test
    void aSlotOutlivesAllButItsLastUser() throws Exception {
        TransportConfig config = TransportConfig.fromProperties(Map.of("provider", "tcp", "nics", "lo"));
        try (LoopbackPair pair = new LoopbackPair(config, 1 << 20)) {
            assertEquals(1, pair.readerTransport.peerAddresses());
            long second = pair.openServerAgain();
            assertEquals(1, pair.readerTransport.peerAddresses(), "the same address is one slot");
            pair.closeSegment(pair.segment);
            pair.readAt(second, 0, 4096, 65536); // the slot is still there for the second user
            assertThrows(IllegalArgumentException.class, () -> pair.readAt(pair.segment, 0, 0, 4096), "closed");
            pair.closeSegment(second);
            assertEquals(0, pair.readerTransport.peerAddresses());
        }
    }

    @Test
    void aPeerKnownAheadSharesTheSlotOfItsSegmentsAndIsForgottenApart() throws Exception {
        TransportConfig config = TransportConfig.fromProperties(Map.of("provider", "tcp", "nics", "lo"));
        try (LoopbackPair pair = new LoopbackPair(config, 1 << 20)) {
            var engine = pair.readerEngine();
            engine.knowPeer(pair.serverDescriptor());
            engine.knowPeer(pair.serverDescriptor()); // again: nothing changes
            assertEquals(java.util.Set.of("loopback-server"), engine.knownPeers());
            assertEquals(1, pair.readerTransport.peerAddresses(), "known ahead and opened: one slot");
            engine.forgetPeer("loopback-server");
            assertEquals(java.util.Set.of(), engine.knownPeers());
            pair.readAt(0, 0, 65536); // the opened segment keeps its entry
            pair.closeSegment(pair.segment);
            assertEquals(0, pair.readerTransport.peerAddresses());
            engine.knowPeer(pair.serverDescriptor());
            assertEquals(1, pair.readerTransport.peerAddresses(), "inserted again");
        }
    }

    @Test
    void keysTellAddressesApart() {
        byte[] a = {1, 2, 3};
        byte[] b = {1, 2, 4};
        assertEquals(PeerSlots.key(java.util.List.of(a)), PeerSlots.key(java.util.List.of(a.clone())));
        org.junit.jupiter.api.Assertions.assertNotEquals(PeerSlots.key(java.util.List.of(a)),
                PeerSlots.key(java.util.List.of(b)));
        org.junit.jupiter.api.Assertions.assertNotEquals(PeerSlots.key(java.util.List.of(a, b)),
                PeerSlots.key(java.util.List.of(b, a)));
    }
}
