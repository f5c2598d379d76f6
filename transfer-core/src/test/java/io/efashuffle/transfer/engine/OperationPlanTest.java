package io.efashuffle.transfer.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request planning across registration pieces and the largest operation, without a fabric. */
class OperationPlanTest {
    private static final long LOCAL = 0x10_0000_0000L;
    private static final long REMOTE = 0x20_0000_0000L;

    @Test
    void oneOperationWhenNothingCuts() {
        TreeMap<Long, LocalBuffer> local = pieces(LOCAL, 1 << 20, 1 << 20);
        List<BufferDescriptor> remote = remotePieces(REMOTE, 1 << 20, 1 << 20);
        List<OperationPlan.Step> steps = plan(local, remote, LOCAL + 10, REMOTE + 20, 1000, 1 << 20);
        assertEquals(1, steps.size());
        assertEquals(new OperationPlan.Step(local.firstEntry().getValue(), remote.getFirst(), LOCAL + 10, REMOTE + 20, 1000),
                steps.getFirst());
    }

    @Test
    void cutsAtEveryLocalAndRemoteBoundaryAndAtTheLargestOperation() {
        TreeMap<Long, LocalBuffer> local = pieces(LOCAL, 1000, 3000); // boundaries at 1000, 2000
        List<BufferDescriptor> remote = remotePieces(REMOTE, 700, 3000); // at 700, 1400, 2100, 2800
        List<OperationPlan.Step> steps = plan(local, remote, LOCAL + 100, REMOTE + 0, 2900, 500);
        long at = 0;
        for (OperationPlan.Step s : steps) {
            assertEquals(LOCAL + 100 + at, s.localAddress());
            assertEquals(REMOTE + at, s.remoteAddress());
            assertTrue(s.length() > 0 && s.length() <= 500, "largest operation");
            assertTrue(s.local().contains(s.localAddress(), s.length()), "inside one local piece");
            assertTrue(s.remote().contains(s.remoteAddress(), s.length()), "inside one remote buffer");
            at += s.length();
        }
        assertEquals(2900, at);
        // cuts (offsets from the request start): local 900, 1900; remote 700, 1400, 2100, 2800; max 500
        assertEquals(List.of(500L, 200L, 200L, 500L, 500L, 200L, 500L, 200L, 100L),
                steps.stream().map(OperationPlan.Step::length).toList());
    }

    @Test
    void aZeroLengthRequestIsOneZeroLengthOperation() {
        TreeMap<Long, LocalBuffer> local = pieces(LOCAL, 4096, 4096);
        List<BufferDescriptor> remote = remotePieces(REMOTE, 4096, 4096);
        List<OperationPlan.Step> steps = plan(local, remote, LOCAL, REMOTE, 0, 4096);
        assertEquals(1, steps.size());
        assertEquals(0, steps.getFirst().length());
        assertSame(remote.getFirst(), steps.getFirst().remote());
    }

    private static List<OperationPlan.Step> plan(TreeMap<Long, LocalBuffer> local, List<BufferDescriptor> remote,
                                                 long from, long to, long length, long max) {
        SegmentDescriptor d = new SegmentDescriptor("remote", "tcp", null, remote);
        assertTrue(d.covers(to, length));
        return OperationPlan.of(from, to, length, max, a -> local.floorEntry(a).getValue(), a -> d.bufferContaining(a, 1));
    }

    private static TreeMap<Long, LocalBuffer> pieces(long base, long piece, long total) {
        MemorySegment whole = MemorySegment.ofAddress(base).reinterpret(total);
        AtomicLong inFlight = new AtomicLong();
        TreeMap<Long, LocalBuffer> m = new TreeMap<>();
        for (long off = 0; off < total; off += piece) {
            m.put(base + off, new LocalBuffer(whole.asSlice(off, Math.min(piece, total - off)), whole, "cpu:0", null,
                    inFlight));
        }
        return m;
    }

    private static List<BufferDescriptor> remotePieces(long base, long piece, long total) {
        List<BufferDescriptor> l = new java.util.ArrayList<>();
        for (long off = 0; off < total; off += piece) {
            l.add(new BufferDescriptor(base + off, Math.min(piece, total - off), "cpu:0", new long[] {off}));
        }
        return l;
    }
}
