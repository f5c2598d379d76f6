package org.apache.spark.shuffle.efa.reader;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Tells a dead serving executor from a slow one while a fabric read waits. Not every provider
 * reports a dead peer (shm never completes a read posted to a process that died), so a read that
 * waits longer than a probe interval asks the executor's block manager port: a live JVM's kernel
 * accepts the connection even when the JVM is paused, a dead one's host refuses it at once. Only a
 * refusal counts as gone; a timeout or any other error says nothing. {@link PeerProbes} decides
 * how often it is asked.
 */
final class PeerLiveness {
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private PeerLiveness() {
    }

    /** True only when the address refuses connections: nothing listens there any more. */
    static boolean isGone(String host, int port) {
        return refuses(host, port);
    }

    private static boolean refuses(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
