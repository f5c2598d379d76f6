package io.efashuffle.transfer.tools;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** peer-bench's synthetic peers are distinct addresses, and every inserted slot is removed again. */
class PeerInsertBenchTest {
    @Test
    void insertsDistinctPeersOverTcpAndRemovesEveryOne() {
        List<PeerInsertBenchCommand.Row> rows = PeerInsertBenchCommand.run(new FabricOptions(), List.of(50, 200));
        assertEquals(2, rows.size());
        for (PeerInsertBenchCommand.Row r : rows) {
            assertEquals(0, r.slotsAfterRemoval(), "slots left after removing every peer: " + r);
            assertTrue(r.insertMicros() > 0 && r.removeMicros() > 0, r.toString());
        }
    }

    @Test
    void syntheticAddressesDifferAndStayOnLoopback() {
        byte[] own = {2, 0, (byte) 0x9c, 0x40, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 130_000; i += 7) {
            byte[] a = PeerInsertBenchCommand.syntheticPeer(own, i);
            assertEquals(127, a[4]);
            assertTrue(seen.add(java.util.HexFormat.of().formatHex(a)), "address " + i + " repeats");
        }
    }
}
