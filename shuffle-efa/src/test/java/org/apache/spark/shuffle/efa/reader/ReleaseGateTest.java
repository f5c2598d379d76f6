package org.apache.spark.shuffle.efa.reader;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReleaseGateTest {
    private final AtomicInteger releases = new AtomicInteger();
    private final ReleaseGate gate = new ReleaseGate(releases::incrementAndGet);

    @Test
    void withNobodyInsideTheTasksEndReleasesAtOnceAndOnlyOnce() {
        gate.enter();
        gate.exit();
        gate.end();
        gate.end();
        assertEquals(1, releases.get());
        assertThrows(IllegalStateException.class, gate::enter);
        assertEquals(1, releases.get());
    }

    @Test
    void anEndFromAnotherThreadWaitsForTheConsumerInsideAndTheConsumerReleasesAsItLeaves() throws Exception {
        CountDownLatch in = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        AtomicInteger seenInside = new AtomicInteger(-1);
        Thread consumer = Thread.ofPlatform().start(() -> {
            gate.enter();
            try {
                gate.enter(); // nested, as next() reading through hasNext()
                gate.exit();
                in.countDown();
                leave.await();
                seenInside.set(releases.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                gate.exit();
            }
        });
        assertTrue(in.await(10, TimeUnit.SECONDS));
        gate.end(); // the task thread, while the consumer is inside
        assertEquals(0, releases.get(), "released under a read in progress");
        leave.countDown();
        consumer.join(10_000);
        assertEquals(0, seenInside.get(), "released before the consumer left");
        assertEquals(1, releases.get(), "the consumer did not release as it left");
        assertThrows(IllegalStateException.class, gate::enter, "read on after the task ended");
        assertEquals(1, releases.get());
    }

    @Test
    void manyEndsRacingManyEntriesReleaseExactlyOnce() throws Exception {
        for (int round = 0; round < 2000; round++) {
            AtomicInteger count = new AtomicInteger();
            ReleaseGate g = new ReleaseGate(count::incrementAndGet);
            Thread consumer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50; i++) {
                    try {
                        g.enter();
                    } catch (IllegalStateException ended) {
                        return;
                    }
                    g.exit();
                }
            });
            g.end();
            consumer.join(10_000);
            assertEquals(1, count.get(), "round " + round);
        }
    }
}
