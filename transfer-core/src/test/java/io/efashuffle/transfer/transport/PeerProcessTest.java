package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerProcessTest {
    private static byte[] shmName(long pid) {
        return Arrays.copyOf(("fi_shm://" + pid + ":0:3").getBytes(StandardCharsets.US_ASCII), 64); // NUL-padded
    }

    @Test
    void aLivePeerIsNotGone() {
        long self = ProcessHandle.current().pid();
        PeerProcess p = PeerProcess.of(shmName(self));
        assertNotNull(p);
        assertEquals(self, p.pid());
        assertFalse(p.gone(System.nanoTime()));
    }

    @Test
    void aPeerWhoseProcessExitedIsGoneOnTheNextCheck() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        PeerProcess p = PeerProcess.of(shmName(child.pid()));
        assertNotNull(p);
        long t = System.nanoTime();
        assertFalse(p.gone(t));
        child.destroyForcibly();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertFalse(p.gone(t + 1000), "checked again within a second");
        assertTrue(p.gone(t + 2_000_000_000L));
        assertTrue(p.gone(t + 2_000_000_001L), "gone stays gone");
    }

    @Test
    void onlyShmAddressesOfVisibleProcessesAreKnown() {
        assertNull(PeerProcess.of("fi_ns://1234:5".getBytes(StandardCharsets.US_ASCII)));
        assertNull(PeerProcess.of(new byte[] {2, 0, 0x1f, (byte) 0x90, 127, 0, 0, 1})); // a sockaddr_in
        assertNull(PeerProcess.of(shmName(4_000_000_000L)), "a pid this host does not see (another namespace)");
    }
}
