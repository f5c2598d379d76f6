package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.Transfer;
import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.transport.OperationTimeoutException;
import io.efashuffle.transfer.transport.PeerLostException;
import io.efashuffle.transfer.transport.TransportException;
import org.apache.spark.shuffle.efa.memory.ReceivePool;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.storage.BlockManagerId$;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retrying fetcher against a fake engine whose reads fail, time out, answer late or never:
 * buffers are reused only when released, blame goes to the right map, retries are bounded, and an
 * interrupted wait keeps nothing. (The same paths run on real executors in ReaderFaultsSuite.)
 */
class RetryingFetcherTest {
    private static final int BUFFERS = 4;
    private final Arena arena = Arena.ofConfined();
    private final ReceivePool pool = new ReceivePool(arena.allocate(BUFFERS * 1024L), 1024);
    private final Deque<FakeTransfer> outcomes = new ArrayDeque<>();
    private final List<Long> postedInto = new ArrayList<>();
    private final List<String> gone = new ArrayList<>();
    private final List<String> withdrawn = new ArrayList<>();
    private int retries;
    private int interrupts;

    private final RetryingFetcher fetcher = new RetryingFetcher(requests -> {
        postedInto.add(requests.getFirst().localAddress());
        return outcomes.removeFirst();
    }, pool, new ReadRetryPolicy(3), 1, 5_000, TimeUnit.MILLISECONDS.toNanos(10),
            peers(),
            new RetryingFetcher.Listener() {
        @Override
        public void waited(long millis) {
        }

        @Override
        public void retried() {
            retries++;
        }

        @Override
        public void interrupted() {
            interrupts++;
        }
    });

    /** Answers from the test's lists, at once (PeerProbesTest tests the sharing and the rate). */
    private RetryingFetcher.Peers peers() {
        return new RetryingFetcher.Peers() {
            @Override
            public PeerState latest(MapRead m) {
                return fresh(m);
            }

            @Override
            public PeerState fresh(MapRead m) {
                return gone.contains(m.address.host()) ? PeerState.GONE
                        : withdrawn.contains(m.location.segmentName()) ? PeerState.WITHDRAWN : PeerState.SERVING;
            }
        };
    }

    @AfterEach
    void close() {
        Thread.interrupted();
        arena.close();
    }

    private static MapRead map(int mapIndex, String host) {
        return new MapRead(new MapOutputLocation(0, mapIndex, 100 + mapIndex, "exec-" + host,
                "segment-" + host, 0x10000, 4096, 0x20000, 8, 0),
                BlockManagerId$.MODULE$.apply("exec-" + host, host, 7000, Option.empty()), null);
    }

    private static Function<MemorySegment, List<TransferRequest>> reads(int n) {
        return buffer -> {
            List<TransferRequest> r = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                r.add(TransferRequest.read(buffer.asSlice(i * 8L, 8), 1, 0x20000 + i * 8L));
            }
            return r;
        };
    }

    @Test
    void aTimedOutReadIsRetriedIntoAnotherBufferAndTheHeldOneReturnsOnlyWhenReleased() {
        FakeTransfer late = FakeTransfer.failed(1, 0, new OperationTimeoutException("late", 110), false);
        outcomes.add(late);
        outcomes.add(FakeTransfer.ok(1));
        MapRead m = map(0, "a");
        RetryingFetcher.Landing landing = fetcher.landing(m);
        landing.post(reads(1));
        fetcher.await(List.of(m), "read", landing, reads(1));

        assertEquals(2, postedInto.size());
        assertNotEquals(postedInto.get(0), postedInto.get(1), "re-posted into the buffer the late read may still fill");
        assertEquals(1, retries);
        assertEquals(1, pool.quarantinedBuffers());
        landing.release();
        assertEquals(BUFFERS - 1, pool.freeBuffers(), "the late read's buffer is still out");
        late.released.complete(null); // the late answer arrived: now it may be reused
        assertEquals(0, pool.quarantinedBuffers());
        assertEquals(BUFFERS, pool.freeBuffers());
    }

    @Test
    void aBrokenConnectionToALivePeerIsRetried() {
        List<MapRead> targets = List.of(map(0, "a"), map(1, "b"));
        outcomes.add(FakeTransfer.failed(2, 1, new PeerLostException("reset", 104), true));
        outcomes.add(FakeTransfer.ok(2));
        RetryingFetcher.Landing landing = fetcher.landing(targets.getFirst());
        landing.post(reads(2));
        fetcher.await(targets, "index read", landing, reads(2));
        assertEquals(2, postedInto.size(), "posted again on a new connection");
        assertEquals(1, retries);
        landing.release();
        assertEquals(BUFFERS, pool.freeBuffers());
    }

    @Test
    void aLostPeerThatIsGoneIsBlamedOnTheMapWhoseRequestFailedAndNotRetried() {
        List<MapRead> targets = List.of(map(0, "a"), map(1, "b"), map(2, "c"));
        gone.add("b");
        outcomes.add(FakeTransfer.failed(3, 1, new PeerLostException("reset", 104), true));
        RetryingFetcher.Landing landing = fetcher.landing(targets.getFirst());
        landing.post(reads(3));
        FabricFetchException e = assertThrows(FabricFetchException.class,
                () -> fetcher.await(targets, "index read", landing, reads(3)));
        assertSame(targets.get(1), e.map, "blame goes to the request that failed, not the batch's first");
        assertEquals(1, postedInto.size());
        landing.release();
        assertEquals(BUFFERS, pool.freeBuffers());
    }

    @Test
    void aServingExecutorThatIsGoneIsFoundWhileItsReadWaits() {
        List<MapRead> targets = List.of(map(0, "a"), map(1, "b"));
        FakeTransfer never = FakeTransfer.pending(2);
        outcomes.add(never);
        gone.add("b");
        RetryingFetcher.Landing landing = fetcher.landing(targets.getFirst());
        landing.post(reads(2));
        FabricFetchException e = assertThrows(FabricFetchException.class,
                () -> fetcher.await(targets, "index read", landing, reads(2)));
        assertSame(targets.get(1), e.map);
        assertTrue(e.getMessage().contains("is gone"), e.getMessage());
        landing.release(); // the provider still holds the read: quarantined, not reused
        assertEquals(1, pool.quarantinedBuffers());
        never.released.complete(null);
        assertEquals(BUFFERS, pool.freeBuffers());
    }

    @Test
    void aWaitingReadWhoseExecutorWithdrewItsOutputsStopsWithoutRetries() {
        List<MapRead> targets = List.of(map(0, "a"), map(1, "b"));
        FakeTransfer never = FakeTransfer.pending(2); // a serving executor whose progress thread died
        outcomes.add(never);
        withdrawn.add("segment-b");
        RetryingFetcher.Landing landing = fetcher.landing(targets.getFirst());
        landing.post(reads(2));
        FabricFetchException e = assertThrows(FabricFetchException.class,
                () -> fetcher.await(targets, "index read", landing, reads(2)));
        assertSame(targets.get(1), e.map);
        assertTrue(e.fault == FabricFetchException.Fault.WITHDRAWN && e.getMessage().contains("withdrew its outputs"),
                e.getMessage());
        assertEquals(0, retries);
        landing.release();
        assertEquals(1, pool.quarantinedBuffers(), "the provider may still answer into it");
    }

    @Test
    void aFailedReadOfAWithdrawnOutputIsNotRetried() {
        outcomes.add(FakeTransfer.failed(1, 0, new OperationTimeoutException("late", 110), false));
        withdrawn.add("segment-a");
        FabricFetchException e = failedReadOfMapA();
        assertEquals(FabricFetchException.Fault.WITHDRAWN, e.fault, e.getMessage());
        assertEquals(0, retries);
        assertEquals(1, postedInto.size());
    }

    @Test
    void aFailedReadOfADeadExecutorsOutputIsFetchFailedEvenOnceTheDriverWithdrewIt() {
        // The driver removes a lost executor's segment: its outputs look withdrawn, but Spark's
        // fetcher would only find the executor dead again, a second later.
        outcomes.add(FakeTransfer.failed(1, 0, new PeerLostException("refused", 111), true));
        withdrawn.add("segment-a");
        gone.add("a");
        FabricFetchException e = failedReadOfMapA();
        assertEquals(FabricFetchException.Fault.SERVER, e.fault, e.getMessage());
        assertTrue(e.getMessage().contains("is gone"), e.getMessage());
        assertEquals(0, retries);
    }

    /** One read of map 0 on executor "a", posted and awaited: the failure it ends in. */
    private FabricFetchException failedReadOfMapA() {
        MapRead m = map(0, "a");
        RetryingFetcher.Landing landing = fetcher.landing(m);
        landing.post(reads(1));
        return assertThrows(FabricFetchException.class, () -> fetcher.await(List.of(m), "read", landing, reads(1)));
    }

    @Test
    void transientFailuresAreRetriedFetchRetriesTimesThenFetchFailed() {
        for (int i = 0; i < 4; i++) {
            outcomes.add(FakeTransfer.failed(1, 0, new TransportException("EIO", 5), true));
        }
        MapRead m = map(0, "a");
        RetryingFetcher.Landing landing = fetcher.landing(m);
        landing.post(reads(1));
        FabricFetchException e = assertThrows(FabricFetchException.class,
                () -> fetcher.await(List.of(m), "read", landing, reads(1)));
        assertTrue(e.getMessage().contains("after 4 attempt(s)"), e.getMessage());
        assertEquals(3, retries);
        assertEquals(1, postedInto.stream().distinct().count(), "released buffers are reused in place");
        landing.release();
        assertEquals(BUFFERS, pool.freeBuffers());
    }

    @Test
    void anInterruptedWaitEndsAtOnceAndItsBufferComesBackWhenReleased() {
        FakeTransfer pending = FakeTransfer.pending(1);
        outcomes.add(pending);
        MapRead m = map(0, "a");
        RetryingFetcher.Landing landing = fetcher.landing(m);
        landing.post(reads(1));
        Thread.currentThread().interrupt(); // a killed task
        assertThrows(IllegalStateException.class, () -> fetcher.await(List.of(m), "read", landing, reads(1)));
        assertEquals(1, interrupts);
        landing.release(); // the task's completion listener: must not wait, must not drop
        assertEquals(1, pool.quarantinedBuffers());
        pending.released.complete(null);
        assertEquals(BUFFERS, pool.freeBuffers());
    }

    @Test
    void aFailureOfThisExecutorsOwnFabricBlamesNoServer() {
        RetryingFetcher broken = new RetryingFetcher(requests -> {
            throw new TransportException("rail 0 failed earlier", 5);
        }, pool, new ReadRetryPolicy(3), 1, 5_000, 10_000_000, peers(),
                new RetryingFetcher.Listener() {
            @Override
            public void waited(long millis) {
            }

            @Override
            public void retried() {
            }

            @Override
            public void interrupted() {
            }
        });
        MapRead m = map(3, "a");
        RetryingFetcher.Landing landing = broken.landing(m);
        FabricFetchException e = assertThrows(FabricFetchException.class, () -> landing.post(reads(1)));
        assertSame(m, e.map);
        assertEquals(FabricFetchException.Fault.LOCAL, e.fault, e.getMessage());
        landing.release();
        assertEquals(BUFFERS, pool.freeBuffers());
    }

    @Test
    void aReadFailedByThisExecutorsOwnRailIsNotRetriedNorBlamedOnItsServer() {
        MapRead m = map(4, "a");
        outcomes.add(FakeTransfer.failed(1, 0, new io.efashuffle.transfer.transport.RailFailedException(
                "progress thread of rail 0 (tcp) has been inside the provider for 30 s", 5), false));
        RetryingFetcher.Landing landing = fetcher.landing(m);
        landing.post(reads(1));
        FabricFetchException e = assertThrows(FabricFetchException.class,
                () -> fetcher.await(List.of(m), "read", landing, reads(1)));
        assertEquals(FabricFetchException.Fault.LOCAL, e.fault, e.getMessage());
        assertTrue(e.getMessage().contains("this executor's own fabric failed"), e.getMessage());
        assertEquals(0, retries, "a failed rail fails every retry too");
        landing.release();
        assertEquals(BUFFERS - 1, pool.freeBuffers(), "the provider still holds the read: its buffer waits");
    }
}
