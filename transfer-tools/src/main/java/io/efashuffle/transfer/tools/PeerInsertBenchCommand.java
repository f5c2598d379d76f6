package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.transport.EndpointAddresses;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.RemotePeer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What inserting an application's executors into one executor's address vector costs
 * ({@code spark.shuffle.efa.peers.insertAhead}): time per insert and per removal through the
 * transport (the progress thread does each), and the process's resident memory per peer. The
 * peers are synthetic addresses (this endpoint's own, another port each), so only providers that
 * name endpoints by socket address can be measured here: tcp and sockets.
 */
@Command(name = "peer-bench", mixinStandardHelpOptions = true,
        description = "Insert N peer addresses into a transport's address vector and remove them: time and memory per peer.")
public final class PeerInsertBenchCommand implements Callable<Integer> {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    @Mixin
    FabricOptions fabric = new FabricOptions();

    @Option(names = "--peers", split = ",", defaultValue = "1000,4000,16000",
            description = "peer counts to measure (default: ${DEFAULT-VALUE})")
    List<Integer> counts;

    /** One row: peers, microseconds per insert and per removal, resident bytes per peer. */
    record Row(int peers, double insertMicros, double removeMicros, long residentBytesPerPeer, int slotsAfterRemoval) {}

    @Override
    public Integer call() {
        if (!fabric.provider.equals("tcp") && !fabric.provider.equals("sockets")) {
            System.err.println("peer-bench: synthetic peers need a provider that names endpoints by socket address "
                    + "(tcp, sockets), not " + fabric.provider);
            return 2;
        }
        List<Row> rows = run(fabric, counts);
        System.out.printf("peer-bench provider=%s: address-vector inserts through the transport, one process%n",
                fabric.provider);
        System.out.println("| peers | insert µs/peer | remove µs/peer | resident bytes/peer |");
        System.out.println("|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf("| %d | %.1f | %.1f | %d |%n", r.peers(), r.insertMicros(), r.removeMicros(),
                    r.residentBytesPerPeer());
        }
        return rows.stream().allMatch(r -> r.slotsAfterRemoval() == 0) ? 0 : 1;
    }

    static List<Row> run(FabricOptions fabric, List<Integer> counts) {
        List<Row> rows = new ArrayList<>();
        try (FabricTransport t = new FabricTransport(fabric.config())) {
            byte[] own = t.localEndpoint().endpointNames().getFirst();
            measure(t, own, 500); // warm-up (JIT, first allocations), not reported
            for (int n : counts) {
                rows.add(measure(t, own, n));
            }
        }
        return rows;
    }

    private static Row measure(FabricTransport t, byte[] own, int n) {
        List<RemotePeer> peers = new ArrayList<>(n);
        System.gc();
        long rss0 = residentBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            peers.add(t.connect("peer-" + i, new EndpointAddresses(List.of(syntheticPeer(own, i)), Map.of())));
        }
        long t1 = System.nanoTime();
        long rss1 = residentBytes();
        for (RemotePeer p : peers) {
            t.disconnect(p);
        }
        long t2 = System.nanoTime();
        return new Row(n, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, Math.max(0, rss1 - rss0) / n, t.peerAddresses());
    }

    /** This endpoint's socket address with port {@code 1024 + i} (and, past 60000, a different 127.x host). */
    static byte[] syntheticPeer(byte[] own, int i) {
        int family = (own[0] & 0xff) | (own[1] & 0xff) << 8;
        if (family != AF_INET && family != AF_INET6) {
            throw new IllegalStateException("endpoint name is not a socket address (family " + family + ")");
        }
        byte[] a = own.clone();
        int port = 1024 + i % 60000;
        a[2] = (byte) (port >> 8); // network order
        a[3] = (byte) port;
        if (i >= 60000) {
            if (family != AF_INET) {
                throw new IllegalArgumentException("more than 60000 synthetic IPv6 peers");
            }
            a[6] = (byte) (1 + i / 60000 / 256); // 127.x.y.1: still loopback
            a[7] = (byte) (1 + i / 60000 % 255);
        }
        return a;
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc: memory is not reported
        }
        return 0;
    }
}
