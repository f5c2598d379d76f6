package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.transport.Opcode;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks every byte of one-sided transfers against a target whose buffer holds
 * {@link DataPattern}(targetSeed): reads across sizes (1 byte to 64 MiB) and unaligned offsets on both
 * sides; thousands of small reads in flight at once from several threads and batches; writes of
 * a second pattern read back and compared.
 */
public final class TransferValidator {
    public static final long MAX_SIZE = 64L << 20;
    /** Local memory the validator needs registered. */
    public static final long LOCAL_BYTES = 2 * MAX_SIZE + (8L << 20);
    /** Remote bytes the target must expose. */
    public static final long REMOTE_BYTES = MAX_SIZE + (16L << 20);

    private static final long[] SIZES = {1, 2, 7, 8, 63, 4095, 4096, 4097, 65535, 65536, 65537,
            (1 << 20) - 1, (1 << 20) + 3, (16 << 20) + 5, MAX_SIZE};
    private static final long[] REMOTE_OFFSETS = {0, 1, 4093, (1 << 20) + 7};
    private static final long[] LOCAL_OFFSETS = {0, 3, 4097};
    private static final Duration WAIT = Duration.ofMinutes(2);

    private final TransferEngine engine;
    private final MemorySegment local;
    private final long target;
    private final long remoteBase;
    private final long remoteBytes;
    private final long targetSeed;
    private final AtomicLong transfers = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final List<String> mismatches = new ArrayList<>();

    /** The outcome: counts and every mismatch (empty when all bytes were right). */
    public record Report(long transfers, long bytes, List<String> mismatches) {
        public boolean ok() {
            return mismatches.isEmpty();
        }
    }

    /**
     * @param local registered local memory of at least {@link #LOCAL_BYTES}
     */
    public TransferValidator(TransferEngine engine, MemorySegment local, long target, long remoteBase,
                             long remoteBytes, long targetSeed) {
        if (local.byteSize() < LOCAL_BYTES || remoteBytes < REMOTE_BYTES) {
            throw new IllegalArgumentException("validator needs " + LOCAL_BYTES + " local and " + REMOTE_BYTES
                    + " remote bytes");
        }
        this.engine = engine;
        this.local = local;
        this.target = target;
        this.remoteBase = remoteBase;
        this.remoteBytes = remoteBytes;
        this.targetSeed = targetSeed;
    }

    public Report run(int threads) throws Exception {
        readsAcrossSizes();
        manyReadsInFlight(threads, 4, 500);
        writesReadBack();
        manyWritesInFlight(2000);
        synchronized (mismatches) {
            return new Report(transfers.get(), bytes.get(), List.copyOf(mismatches));
        }
    }

    private void readsAcrossSizes() throws Exception {
        for (long size : SIZES) {
            for (long ro : REMOTE_OFFSETS) {
                for (long lo : LOCAL_OFFSETS) {
                    if (ro + size > remoteBytes) {
                        continue;
                    }
                    MemorySegment dst = local.asSlice(lo, size);
                    dst.fill((byte) 0x5A);
                    transfer(List.of(new TransferRequest(Opcode.READ, dst.address(), size, target, remoteBase + ro)));
                    check("read size=" + size + " remoteOffset=" + ro + " localOffset=" + lo, dst, targetSeed, ro);
                }
            }
        }
    }

    /** threads x batches x perBatch small reads, all submitted before any is awaited. */
    private void manyReadsInFlight(int threads, int batches, int perBatch) throws Exception {
        long slot = 16 << 10;
        long slotsPerThread = (long) batches * perBatch;
        if (threads * slotsPerThread * slot > local.byteSize()) {
            throw new IllegalArgumentException("local buffer too small for " + threads + " threads");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    SplittableRandom rnd = new SplittableRandom(42 + thread);
                    long[] ids = new long[batches];
                    List<long[]> expect = new ArrayList<>(); // local address, size, remote offset
                    for (int b = 0; b < batches; b++) {
                        ids[b] = engine.allocateBatchId(perBatch);
                        List<TransferRequest> reqs = new ArrayList<>(perBatch);
                        for (int i = 0; i < perBatch; i++) {
                            long size = 1 + rnd.nextLong(slot);
                            long ro = rnd.nextLong(remoteBytes - size);
                            long la = local.address() + (thread * slotsPerThread + (long) b * perBatch + i) * slot;
                            reqs.add(new TransferRequest(Opcode.READ, la, size, target, remoteBase + ro));
                            expect.add(new long[] {la, size, ro});
                        }
                        engine.submitTransfer(ids[b], reqs);
                    }
                    for (long id : ids) {
                        engine.awaitBatch(id, WAIT);
                        engine.freeBatchId(id);
                    }
                    for (long[] e : expect) {
                        check("concurrent read", local.asSlice(e[0] - local.address(), e[1]), targetSeed, e[2]);
                        transfers.incrementAndGet();
                        bytes.addAndGet(e[1]);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void writesReadBack() throws Exception {
        long seed = targetSeed + 1000;
        long[] sizes = {1, 7, 4097, 65537, (1 << 20) + 3, MAX_SIZE};
        long[] remoteOffsets = {5, 4099, (3 << 20) + 1};
        for (long size : sizes) {
            for (long ro : remoteOffsets) {
                if (ro + size > remoteBytes) {
                    continue;
                }
                MemorySegment src = local.asSlice(3, size);
                DataPattern.fill(src, seed, ro);
                transfer(List.of(new TransferRequest(Opcode.WRITE, src.address(), size, target, remoteBase + ro)));
                MemorySegment back = local.asSlice(MAX_SIZE + 4101, size);
                back.fill((byte) 0);
                transfer(List.of(new TransferRequest(Opcode.READ, back.address(), size, target, remoteBase + ro)));
                check("write+read size=" + size + " remoteOffset=" + ro, back, seed, ro);
            }
        }
    }

    /** Many writes to disjoint remote ranges in one batch, then all read back in one batch. */
    private void manyWritesInFlight(int count) throws Exception {
        long seed = targetSeed + 2000;
        long stride = 9000;
        List<TransferRequest> writes = new ArrayList<>(count);
        List<TransferRequest> reads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long size = 512 + (i * 37L) % 8000;
            long ro = 1 + i * stride;
            MemorySegment src = local.asSlice(i * stride + 11, size);
            DataPattern.fill(src, seed, ro);
            writes.add(new TransferRequest(Opcode.WRITE, src.address(), size, target, remoteBase + ro));
            reads.add(new TransferRequest(Opcode.READ, local.address() + MAX_SIZE + i * stride + 13, size, target,
                    remoteBase + ro));
        }
        transfer(writes);
        transfer(reads);
        for (TransferRequest r : reads) {
            check("concurrent write+read", local.asSlice(r.localAddress() - local.address(), r.length()), seed,
                    r.targetAddress() - remoteBase);
        }
    }

    private void transfer(List<TransferRequest> requests) throws Exception {
        engine.transferAsync(requests).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        transfers.addAndGet(requests.size());
        for (TransferRequest r : requests) {
            bytes.addAndGet(r.length());
        }
    }

    private void check(String what, MemorySegment actual, long seed, long patternOffset) {
        long bad = DataPattern.firstMismatch(actual, seed, patternOffset);
        if (bad >= 0) {
            synchronized (mismatches) {
                mismatches.add(what + ": first wrong byte at " + bad + " of " + actual.byteSize());
            }
        }
    }
}
