package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.storage.BlockManagerId$;
import org.junit.jupiter.api.Test;
import scala.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting reads share one question per serving executor and interval: the driver's asks do not
 * grow with the number of reads waiting on a paused server, and a dead one is still found.
 */
class PeerProbesTest {
    private static final long INTERVAL = PeerProbes.INTERVAL_NANOS;

    private static MapRead map(String executor) {
        return new MapRead(new MapOutputLocation(0, 0, 1, executor, "segment-" + executor, 0x10000, 4096, 0x20000, 8, 0),
                BlockManagerId$.MODULE$.apply(executor, "host-" + executor, 7000, Option.empty()), null);
    }

    /** The questions, counted; the driver takes {@code askMillis} to answer (a busy driver). */
    private static final class Counting implements PeerProbes.Questions {
        final AtomicLong driverAsks = new AtomicLong();
        final AtomicLong connects = new AtomicLong();
        final long askMillis;
        volatile boolean dead;
        volatile boolean withdrawn;

        Counting(long askMillis) {
            this.askMillis = askMillis;
        }

        @Override
        public boolean isGone(String host, int port) {
            connects.incrementAndGet();
            return dead;
        }

        @Override
        public boolean stillPublished(MapOutputLocation location) {
            driverAsks.incrementAndGet();
            try {
                Thread.sleep(askMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return !withdrawn;
        }
    }

    private static PeerProbes probes(PeerProbes.Questions q) {
        return new PeerProbes(q, INTERVAL, System::nanoTime, Executors.newVirtualThreadPerTaskExecutor());
    }

    /**
     * {@code reads} reads wait on one paused server for {@code millis}, each looking every
     * {@code lookNanos} as RetryingFetcher does; returns the driver asks per second.
     */
    private static double asksPerSecondWhileWaiting(int reads, long millis, boolean shared) throws Exception {
        Counting q = new Counting(5);
        PeerProbes probes = probes(q);
        MapRead m = map("paused");
        long lookNanos = shared ? INTERVAL / 4 : INTERVAL; // before: every read asked every 250 ms itself
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> waiting = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (int r = 0; r < reads; r++) {
            waiting.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    while (System.nanoTime() < end) {
                        if (shared) {
                            probes.latest(m);
                        } else {
                            q.isGone(m.address.host(), m.address.port());
                            q.stillPublished(m.location);
                        }
                        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(lookNanos));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : waiting) {
            t.join();
        }
        return q.driverAsks.get() * 1000.0 / millis;
    }

    @Test
    void driverAsksDoNotGrowWithTheReadsWaitingOnAPausedServer() throws Exception {
        long millis = 1_000;
        double bound = 1000.0 / TimeUnit.NANOSECONDS.toMillis(INTERVAL) + 1000.0 / millis; // one per interval, +1
        StringBuilder table = new StringBuilder("driver asks per second while N reads wait on one paused server ("
                + millis + " ms each):\n| N | before: each read asks | after: shared per executor |\n|---|---|---|\n");
        for (int n : new int[] {1, 16, 256}) {
            double before = asksPerSecondWhileWaiting(n, millis, false);
            double after = asksPerSecondWhileWaiting(n, millis, true);
            table.append(String.format("| %d | %.1f | %.1f |%n", n, before, after));
            assertTrue(after <= bound, n + " waiting reads: " + after + " asks/s, more than one per interval (" + bound + ")");
        }
        System.out.print(table);
    }

    @Test
    void aDeadServerIsFoundOnceForAllTheReadsThatAskAtOnce() throws Exception {
        Counting q = new Counting(50);
        q.dead = true;
        PeerProbes probes = probes(q);
        MapRead m = map("dead");
        int readers = 16;
        AtomicInteger gone = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (probes.fresh(m) == PeerState.GONE) {
                    gone.incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(readers, gone.get());
        assertEquals(1, probes.asked(), "one question for all of them");
        assertEquals(0, q.driverAsks.get(), "a dead server is not asked about at the driver");
    }

    @Test
    void aWithdrawnServerIsSeenByTheNextLookAndAFailedQuestionSaysNothing() throws Exception {
        Counting q = new Counting(0);
        PeerProbes probes = probes(q);
        MapRead m = map("w");
        assertEquals(PeerState.SERVING, probes.fresh(m));
        q.withdrawn = true;
        assertEquals(PeerState.SERVING, probes.latest(m), "the answer is younger than the interval");
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(INTERVAL) + 10);
        probes.latest(m); // starts the next question
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (probes.latest(m) != PeerState.WITHDRAWN && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(PeerState.WITHDRAWN, probes.latest(m));

        PeerProbes failing = probes(new PeerProbes.Questions() {
            @Override
            public boolean isGone(String host, int port) {
                throw new IllegalStateException("no route");
            }

            @Override
            public boolean stillPublished(MapOutputLocation location) {
                return true;
            }
        });
        assertEquals(PeerState.SERVING, failing.fresh(m), "no answer is no reason to stop a read");
    }
}
