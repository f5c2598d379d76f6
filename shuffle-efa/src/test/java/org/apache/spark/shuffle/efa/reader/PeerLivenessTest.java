package org.apache.spark.shuffle.efa.reader;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerLivenessTest {

    @Test
    void aListeningPortIsAliveAndAClosedOneIsGone() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            assertFalse(PeerLiveness.isGone("127.0.0.1", port), "a listening block manager is alive");
        }
        Thread.sleep(600); // past the cached answer
        assertTrue(PeerLiveness.isGone("127.0.0.1", port), "nothing listens: the executor is gone");
    }

    @Test
    void aListenerThatNeverAcceptsIsStillAlive() throws Exception {
        // A paused JVM never calls accept(), but its kernel completes the handshake from the backlog.
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 3; i++) {
                assertFalse(PeerLiveness.isGone("127.0.0.1", server.getLocalPort()));
                Thread.sleep(600);
            }
        }
    }

    @Test
    void anUnresolvableHostSaysNothing() {
        assertFalse(PeerLiveness.isGone("no-such-host.invalid", 7337));
    }
}
