package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rail's progress thread against a scripted endpoint: it posts what it is handed, reports
 * completions and deadlines, closes (draining, then the endpoint, then the releases, each once),
 * and fails whole when its loop fails or the watchdog finds it stuck in the provider, telling
 * its owner once and releasing nothing the provider may still write.
 */
class ProgressThreadTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private final ScriptedEndpoint endpoint = new ScriptedEndpoint(8);
    private final RecordedOperations ops = new RecordedOperations();
    private final FabricPeer peer = RecordedOperations.peer("p", 0);
    private final List<Throwable> told = new CopyOnWriteArrayList<>();
    private final TransportConfig config = TransportConfig.defaults("tcp").withOperationTimeout(TIMEOUT)
            .withProgress(ProgressMode.PARK);
    private final ProgressThread thread = new ProgressThread(0, "test-progress", config,
            IdlePolicy.of(config, false, false), new ProgressStallDetector(TIMEOUT), told::add);

    ProgressThreadTest() {
        thread.call(() -> {
            thread.attach(endpoint, new OperationTable(0, endpoint, TIMEOUT.toNanos()), endpoint.waitable());
            return null;
        });
    }

    @AfterEach
    void close() {
        thread.beginClose();
        thread.awaitClose();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    private RmaOperation posted(String name) {
        RmaOperation op = ops.read(peer, name);
        thread.submit(op);
        await(() -> endpoint.posted.contains(op), name + " posted");
        return op;
    }

    @Test
    void handedOperationsArePostedAndTheirCompletionsAndDeadlinesReported() {
        RmaOperation answered = posted("answered");
        RmaOperation silent = posted("silent");
        endpoint.complete(answered);
        await(() -> ops.outcomes.containsKey(answered), "its completion");
        assertNull(ops.outcome(answered));
        await(() -> ops.outcomes.containsKey(silent), "its deadline");
        assertInstanceOf(OperationTimeoutException.class, ops.outcome(silent));
        assertEquals(0, ops.releaseCount(silent), "held by the provider");
        assertTrue(told.isEmpty());
    }

    @Test
    void closeDrainsFailsWhatIsLeftAndReleasesItOnceAfterTheEndpointCloses() {
        RmaOperation inFlight = posted("in flight");
        thread.beginClose();
        thread.awaitClose();
        assertEquals(1, endpoint.closes.get());
        assertInstanceOf(RailFailedException.class, ops.outcome(inFlight));
        assertEquals(1, ops.releaseCount(inFlight));
        assertFalse(thread.leftToProvider());
        assertThrows(IllegalStateException.class, () -> thread.submit(ops.read(peer, "late")));
        assertTrue(told.isEmpty(), "a close is no failure");
    }

    @Test
    void aFailingLoopFailsEverythingWaitingAndTellsItsOwnerOnce() {
        RmaOperation inFlight = posted("in flight");
        thread.execute(() -> {
            throw new IllegalStateException("the provider failed (scripted)");
        });
        await(() -> !told.isEmpty(), "the owner told");
        assertInstanceOf(RailFailedException.class, ops.outcome(inFlight));
        await(() -> ops.releaseCount(inFlight) == 1, "released once the endpoint closed");
        assertEquals(1, endpoint.closes.get());
        assertEquals(1, told.size());
        assertThrows(RailFailedException.class, () -> thread.submit(ops.read(peer, "late")));
    }

    @Test
    void aThreadStuckInTheProviderIsFailedByTheWatchdogAndKeepsWhatTheProviderHolds() throws Exception {
        RmaOperation posted = posted("posted");
        CountDownLatch resume = new CountDownLatch(1);
        CountDownLatch away = new CountDownLatch(1);
        thread.execute(() -> {
            away.countDown();
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        away.await();
        RmaOperation unseen = ops.read(peer, "unseen");
        thread.submit(unseen);
        thread.failIfStalled(System.nanoTime(), "scripted"); // not stuck long enough yet
        assertTrue(told.isEmpty());

        thread.failIfStalled(System.nanoTime() + TIMEOUT.plus(ProgressStallDetector.GRACE).toNanos() + 1, "scripted");
        assertEquals(1, told.size());
        assertInstanceOf(RailFailedException.class, ops.outcome(posted));
        assertEquals(0, ops.releaseCount(posted), "the provider may still write it");
        assertInstanceOf(RailFailedException.class, ops.outcome(unseen));
        assertEquals(1, ops.releaseCount(unseen), "the provider never saw it");
        assertThrows(RailFailedException.class, () -> thread.submit(ops.read(peer, "late")));
        thread.failIfStalled(System.nanoTime() + Duration.ofMinutes(1).toNanos(), "scripted");
        assertEquals(1, told.size(), "failed once");

        thread.beginClose();
        thread.awaitClose();
        assertTrue(thread.leftToProvider(), "nothing freed under a thread stuck in the provider");
        assertEquals(0, endpoint.closes.get());

        resume.countDown(); // it comes back: it closes the endpoint itself, then releases
        await(() -> endpoint.closes.get() == 1, "the endpoint closed by the thread");
        await(() -> ops.releaseCount(posted) == 1, "released after the endpoint closed");
        assertEquals(1, ops.outcomes.get(posted).size());
        assertEquals(1, told.size(), "its owner is not told twice");
    }
}
