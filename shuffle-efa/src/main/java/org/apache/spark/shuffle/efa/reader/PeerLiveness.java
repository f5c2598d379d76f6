package org.apache.spark.shuffle.efa.reader;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a dead serving executor from a slow one while a fabric read waits. Not every provider
 * reports a dead peer (shm never completes a read posted to a process that died), so a read that
 * waits longer than a probe interval asks the executor's block manager port: a live JVM's kernel
 * accepts the connection even when the JVM is paused, a dead one's host refuses it at once. Only a
 * refusal counts as gone; a timeout or any other error says nothing. Answers are cached briefly
 * per address so many waiting readers cost one probe.
 */
final class PeerLiveness {
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final long CACHE_NANOS = 200_000_000L;
    private static final Map<String, long[]> RECENT = new ConcurrentHashMap<>(); // key -> {when, gone 0/1}

    private PeerLiveness() {
    }

    /** True only when the address refuses connections: nothing listens there any more. */
    static boolean isGone(String host, int port) {
        String key = host + ":" + port;
        long now = System.nanoTime();
        long[] cached = RECENT.get(key);
        if (cached != null && now - cached[0] < CACHE_NANOS) {
            return cached[1] == 1;
        }
        boolean gone = refuses(host, port);
        RECENT.put(key, new long[] {now, gone ? 1 : 0});
        return gone;
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
