package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.Opcode;
import io.efashuffle.transfer.transport.RemoteAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Mooncake's transfer_engine_bench: an initiator keeps {@code depth} batches of {@code batch}
 * requests in flight per thread against a target process for a fixed time and reports GB/s,
 * ops/s and batch latency percentiles; optionally next to the native C fi_read yardstick.
 */
@Command(name = "transfer-bench", mixinStandardHelpOptions = true,
        description = "Throughput of one-sided READ/WRITE between two processes (optionally vs native C).")
public final class TransferBenchCommand implements Callable<Integer> {
    @Mixin
    FabricOptions fabric = new FabricOptions();

    @Option(names = "--op", defaultValue = "READ", description = "READ or WRITE (default: ${DEFAULT-VALUE})")
    Opcode op;

    @Option(names = "--block-sizes", split = ",", defaultValue = "4096,65536,1048576",
            description = "bytes per request, comma separated (default: ${DEFAULT-VALUE})")
    long[] blockSizes;

    @Option(names = "--batch-size", defaultValue = "16", description = "requests per batch (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--depth", defaultValue = "1", description = "batches in flight per thread (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--threads", defaultValue = "1", description = "initiator threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--duration", defaultValue = "5", description = "seconds per block size (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--json", description = "print one JSON object per block size")
    boolean json;

    @Option(names = "--compare-native", description = "also run the native C fi_read yardstick (bundled, compiled with gcc) "
            + "with the same provider, block size and ops in flight")
    boolean compareNative;

    @Option(names = "--native-source", description = "C source to use instead of the bundled yardstick "
            + "(same arguments: PROVIDER BLOCK_BYTES WINDOW TOTAL_MIB TIMEOUT_SECONDS; prints GB/s=N)")
    Path nativeSource;

    @Option(names = "--registry", description = "registry URL of an existing target (run 'target' there); default: start a target process here")
    String registryUrl;

    @Option(names = "--target-name", defaultValue = "target")
    String targetName;

    static final long REMOTE_BYTES = 256L << 20;

    /** One measured block size. */
    public record Result(long blockBytes, double gbPerSecond, double opsPerSecond, double p50Micros, double p99Micros,
                         double nativeGbPerSecond) {}

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1 || depth < 1 || threads < 1 || seconds < 1) {
            throw new IllegalArgumentException("--batch-size, --depth, --threads and --duration must be >= 1");
        }
        NativeReadBench nativeBench = null;
        if (compareNative) {
            if (op != Opcode.READ) {
                throw new IllegalArgumentException("--compare-native measures READ only (the yardstick uses fi_read)");
            }
            nativeBench = NativeReadBench.of(nativeSource, NativeReadBench.defaultWorkDir());
        }
        List<Result> results = registryUrl != null ? measure(registryUrl) : withLocalTarget();
        if (nativeBench != null) {
            List<Result> withNative = new ArrayList<>();
            for (Result r : results) {
                long totalMiB = Math.max(64, Math.min(16384, (long) (r.gbPerSecond * 1e9 * seconds / (1 << 20))));
                double nativeGbps = nativeBench.run(fabric.provider, r.blockBytes, batchSize * depth * threads, totalMiB);
                withNative.add(new Result(r.blockBytes, r.gbPerSecond, r.opsPerSecond, r.p50Micros, r.p99Micros, nativeGbps));
            }
            results = withNative;
        }
        print(results);
        return 0;
    }

    private List<Result> withLocalTarget() throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             TargetProcess target = TargetProcess.start(fabric, server.url(), targetName, REMOTE_BYTES, 1,
                     op == Opcode.READ ? RemoteAccess.READ : RemoteAccess.READ_WRITE, 0)) {
            return measure(server.url());
        }
    }

    private List<Result> measure(String url) throws Exception {
        long maxBlock = Arrays.stream(blockSizes).max().orElseThrow();
        try (Arena arena = Arena.ofShared();
             TransferEngine engine = new TransferEngine("bench-initiator-" + ProcessHandle.current().pid(),
                     new HttpMetadataRegistry(url))) {
            engine.installTransport(new FabricTransport(fabric.config()));
            MemorySegment local = arena.allocate((long) threads * depth * batchSize * maxBlock, 4096);
            engine.registerLocalMemory(local, "cpu:0", RemoteAccess.NONE);
            long target = engine.openSegment(targetName, Duration.ofSeconds(30));
            long remoteBase = engine.segmentDescriptor(target).buffers().getFirst().base();
            long remoteBytes = engine.segmentDescriptor(target).buffers().getFirst().length();
            List<Result> results = new ArrayList<>();
            for (long block : blockSizes) {
                if (block > remoteBytes) {
                    throw new IllegalArgumentException("block size " + block + " exceeds the target buffer");
                }
                results.add(measureBlock(engine, local, target, remoteBase, remoteBytes, block));
            }
            engine.unregisterLocalMemory(local);
            return results;
        }
    }

    private Result measureBlock(TransferEngine engine, MemorySegment local, long target, long remoteBase,
                                long remoteBytes, long block) throws Exception {
        // A short warm-up lets the JIT and the provider's connection setup out of the measurement.
        runThreads(engine, local, target, remoteBase, remoteBytes, block, Math.min(1, seconds) * 1_000_000_000L / 2);
        long start = System.nanoTime();
        List<long[]> perThread = runThreads(engine, local, target, remoteBase, remoteBytes, block, seconds * 1_000_000_000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long ops = 0;
        List<Long> latencies = new ArrayList<>();
        for (long[] t : perThread) {
            ops += t[0];
            for (int i = 1; i < t.length; i++) {
                latencies.add(t[i]);
            }
        }
        latencies.sort(null);
        double p50 = latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2) / 1e3;
        double p99 = latencies.isEmpty() ? 0 : latencies.get((int) (latencies.size() * 0.99)) / 1e3;
        return new Result(block, ops * block / elapsed / 1e9, ops / elapsed, p50, p99, Double.NaN);
    }

    /** Returns per thread: [ops, batch latencies in ns...]. */
    private List<long[]> runThreads(TransferEngine engine, MemorySegment local, long target, long remoteBase,
                                    long remoteBytes, long block, long nanos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            long slots = remoteBytes / block;
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + nanos;
                    long next = (long) thread * slots / threads;
                    long ops = 0;
                    long[] lat = new long[1 << 16];
                    int nLat = 0;
                    ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
                    ArrayDeque<Long> started = new ArrayDeque<>();
                    int slot = 0;
                    while (true) {
                        boolean more = System.nanoTime() - deadline < 0;
                        if (more && inFlight.size() < depth) {
                            List<TransferRequest> reqs = new ArrayList<>(batchSize);
                            long localBase = local.address() + ((long) thread * depth + slot) * batchSize * block;
                            slot = (slot + 1) % depth;
                            for (int i = 0; i < batchSize; i++) {
                                reqs.add(new TransferRequest(op, localBase + i * block, block, target,
                                        remoteBase + (next++ % slots) * block));
                            }
                            started.add(System.nanoTime());
                            inFlight.add(engine.transferAsync(reqs));
                            continue;
                        }
                        if (inFlight.isEmpty()) {
                            break;
                        }
                        inFlight.poll().join();
                        long took = System.nanoTime() - started.poll();
                        if (nLat < lat.length) {
                            lat[nLat++] = took;
                        }
                        ops += batchSize;
                    }
                    long[] out = new long[1 + nLat];
                    out[0] = ops;
                    System.arraycopy(lat, 0, out, 1, nLat);
                    return out;
                }));
            }
            List<long[]> out = new ArrayList<>();
            for (Future<long[]> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private void print(List<Result> results) {
        if (json) {
            for (Result r : results) {
                System.out.printf(Locale.ROOT, "{\"provider\":\"%s\",\"op\":\"%s\",\"block\":%d,\"batch\":%d,\"depth\":%d,"
                                + "\"threads\":%d,\"gbps\":%.3f,\"ops\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"native_gbps\":%s}%n",
                        fabric.provider, op, r.blockBytes, batchSize, depth, threads, r.gbPerSecond, r.opsPerSecond,
                        r.p50Micros, r.p99Micros, Double.isNaN(r.nativeGbPerSecond) ? "null"
                                : String.format(Locale.ROOT, "%.3f", r.nativeGbPerSecond));
            }
            return;
        }
        System.out.printf(Locale.ROOT, "transfer-bench provider=%s op=%s batch=%d depth=%d threads=%d (in flight %d) duration=%ds%n",
                fabric.provider, op, batchSize, depth, threads, batchSize * depth * threads, seconds);
        System.out.printf(Locale.ROOT, "%-10s %8s %11s %13s %13s %12s %12s%n", "block", "GB/s", "ops/s",
                "p50 batch us", "p99 batch us", "native GB/s", "java/native");
        for (Result r : results) {
            boolean n = !Double.isNaN(r.nativeGbPerSecond);
            System.out.printf(Locale.ROOT, "%-10s %8.3f %11.0f %13.1f %13.1f %12s %12s%n", human(r.blockBytes),
                    r.gbPerSecond, r.opsPerSecond, r.p50Micros, r.p99Micros,
                    n ? String.format(Locale.ROOT, "%.3f", r.nativeGbPerSecond) : "-",
                    n ? String.format(Locale.ROOT, "%.2f", r.gbPerSecond / r.nativeGbPerSecond) : "-");
        }
    }

    static String human(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
