package org.apache.spark.shuffle.efa;

import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.ffi.fabric_h;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fabric's life cycle against a scripted starter, with latches for concurrency and a fake
 * clock for retries: one start for many tasks, the built-in path or a wait while it runs,
 * transient and permanent failures, retirement exactly once, a close during a start, an Error
 * escaping a start. (ExecutorShuffleRuntime uses it on real executors: FallbackSuite,
 * PluginLifecycleSuite.)
 */
class FabricLifecycleTest {
    /** What a start makes here: a name, and the failure a running fabric may meet. */
    private static final class Fabric {
        final int number;
        volatile Throwable failure;
        Runnable onFailure;

        Fabric(int number) {
            this.number = number;
        }
    }

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StartRetryPolicy retry = new StartRetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 3,
            now::get);
    private final AtomicInteger starts = new AtomicInteger();
    private final List<Fabric> withdrawn = new ArrayList<>();
    private final List<Fabric> stopped = new ArrayList<>();
    private final ExecutorService tasks = Executors.newCachedThreadPool();
    /** What the next start does; by default it makes a fabric at once. */
    private volatile Supplier<Fabric> script = () -> new Fabric(starts.get());

    private final FabricLifecycle.Starter<Fabric> starter = new FabricLifecycle.Starter<>() {
        @Override
        public Fabric start() {
            starts.incrementAndGet();
            return script.get();
        }

        @Override
        public Throwable failure(Fabric started) {
            return started.failure;
        }

        @Override
        public void onFailure(Fabric started, Runnable retire) {
            started.onFailure = retire;
        }

        @Override
        public synchronized void withdraw(Fabric failed, String why, Throwable cause) {
            withdrawn.add(failed);
        }

        @Override
        public synchronized void stop(Fabric started) {
            stopped.add(started);
        }
    };

    private FabricLifecycle<Fabric> lifecycle(boolean required) {
        return new FabricLifecycle<>(starter, retry, required ? id -> "required on executor " + id : null, () -> "7");
    }

    @AfterEach
    void stopTasks() {
        tasks.shutdownNow();
    }

    private static FabricException eagain() {
        return new FabricException("fi_endpoint: Resource temporarily unavailable", fabric_h.FI_EAGAIN());
    }

    /** A start that waits for {@code release} after saying it began. */
    private Supplier<Fabric> blockedStart(CountDownLatch began, CountDownLatch release, Supplier<Fabric> then) {
        return () -> {
            began.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return then.get();
        };
    }

    @Test
    void concurrentTasksStartTheFabricOnceAndAllUseIt() throws Exception {
        CountDownLatch began = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        script = blockedStart(began, release, () -> new Fabric(1));
        FabricLifecycle<Fabric> l = lifecycle(true); // required: tasks wait for the start
        List<Future<Fabric>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(tasks.submit(l::ensureStarted));
        }
        assertTrue(began.await(5, TimeUnit.SECONDS));
        assertTrue(l.startPending());
        release.countDown();
        for (Future<Fabric> f : waiting) {
            assertEquals(1, f.get(5, TimeUnit.SECONDS).number);
        }
        assertEquals(1, starts.get());
        assertFalse(l.startPending());
    }

    @Test
    void whileAStartRunsTasksTakeTheBuiltInPathUnlessItIsForbidden() throws Exception {
        CountDownLatch began = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        script = blockedStart(began, release, () -> new Fabric(1));
        FabricLifecycle<Fabric> l = lifecycle(false);
        Future<Fabric> first = tasks.submit(l::ensureStarted);
        assertTrue(began.await(5, TimeUnit.SECONDS));
        assertNull(l.startedOrBuiltin(), "the built-in path, without waiting");
        release.countDown();
        assertEquals(1, first.get(5, TimeUnit.SECONDS).number);
        assertEquals(1, l.startedOrBuiltin().number);

        CountDownLatch began2 = new CountDownLatch(1);
        CountDownLatch release2 = new CountDownLatch(1);
        script = blockedStart(began2, release2, () -> new Fabric(2));
        FabricLifecycle<Fabric> required = lifecycle(true);
        Future<Fabric> starter = tasks.submit(required::ensureStarted);
        assertTrue(began2.await(5, TimeUnit.SECONDS));
        Future<Fabric> task = tasks.submit(required::startedOrBuiltin);
        Thread.sleep(100);
        assertFalse(task.isDone(), "with the built-in path forbidden, a task waits for the start");
        release2.countDown();
        assertEquals(2, task.get(5, TimeUnit.SECONDS).number);
        assertSame(starter.get(), task.get());
    }

    @Test
    void aLaunchStartThatIsComingSendsTasksToTheBuiltInPath() {
        FabricLifecycle<Fabric> l = lifecycle(false);
        l.launchStartComing();
        assertTrue(l.startPending());
        assertNull(l.startedOrBuiltin());
        assertEquals(0, starts.get(), "the task started nothing: the launch thread will");
        l.launchStartEnded();
        assertEquals(1, l.startedOrBuiltin().number);
    }

    @Test
    void aTransientFailureIsTriedAgainWhenThePolicySaysAndAPermanentOneNever() {
        script = () -> {
            throw eagain();
        };
        FabricLifecycle<Fabric> l = lifecycle(false);
        assertNull(l.ensureStarted(), "built-in path after a failed start");
        assertNull(l.ensureStarted());
        assertEquals(1, starts.get(), "not again before the policy's wait");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        script = () -> new Fabric(2);
        assertEquals(2, l.ensureStarted().number);
        assertEquals(2, starts.get());

        script = () -> {
            throw new IllegalStateException("no such provider");
        };
        FabricLifecycle<Fabric> permanent = lifecycle(false);
        assertNull(permanent.ensureStarted());
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertNull(permanent.ensureStarted());
        assertEquals(3, starts.get(), "a permanent failure is not tried again");
    }

    @Test
    void whereTheBuiltInPathIsForbiddenAFailedStartFailsEveryTaskWithTheReason() {
        script = () -> {
            throw new IllegalStateException("memlock too low");
        };
        FabricLifecycle<Fabric> l = lifecycle(true);
        for (int i = 0; i < 2; i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, l::startedOrBuiltin);
            assertEquals("required on executor 7: memlock too low", e.getMessage());
        }
        assertEquals(1, starts.get());
    }

    @Test
    void aFabricFailingWhileRunningIsRetiredOnceAndNeverRestarted() throws Exception {
        FabricLifecycle<Fabric> l = lifecycle(false);
        Fabric f = l.ensureStarted();
        f.failure = new IllegalStateException("progress thread died");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Fabric>> noticing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            noticing.add(tasks.submit(() -> {
                go.await();
                return l.ensureStarted();
            }));
        }
        go.countDown();
        f.onFailure.run(); // the fabric's own failure listener, racing the tasks
        for (Future<Fabric> n : noticing) {
            assertNull(n.get(5, TimeUnit.SECONDS), "the built-in path from now on");
        }
        f.onFailure.run(); // a late second report of the same failure
        assertEquals(List.of(f), withdrawn, "withdrawn exactly once");
        assertSame(f, l.current(), "still serving what it staged");
        assertNull(l.live());
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertNull(l.ensureStarted());
        assertEquals(1, starts.get(), "never restarted");
        l.close();
        assertEquals(List.of(f), stopped);
    }

    @Test
    void aCloseDuringAStartStopsWhatThatStartMakes() throws Exception {
        CountDownLatch began = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Fabric made = new Fabric(1);
        script = blockedStart(began, release, () -> made);
        FabricLifecycle<Fabric> l = lifecycle(false);
        Future<Fabric> task = tasks.submit(l::ensureStarted);
        assertTrue(began.await(5, TimeUnit.SECONDS));
        l.close();
        release.countDown();
        assertNull(task.get(5, TimeUnit.SECONDS), "nobody may use a fabric made after close");
        assertEquals(List.of(made), stopped);
        assertNull(l.ensureStarted());
        assertEquals(1, starts.get());
    }

    @Test
    void anErrorEscapingAStartLeavesNoWaiterHangingAndALaterTaskMayStart() throws Exception {
        CountDownLatch began = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        script = blockedStart(began, release, () -> {
            throw new OutOfMemoryError("scripted");
        });
        FabricLifecycle<Fabric> l = lifecycle(true);
        Future<Fabric> first = tasks.submit(l::ensureStarted);
        assertTrue(began.await(5, TimeUnit.SECONDS));
        AtomicReference<Throwable> waiterSaw = new AtomicReference<>();
        Future<?> waiter = tasks.submit(() -> {
            try {
                l.ensureStarted();
            } catch (Throwable t) {
                waiterSaw.set(t);
            }
        });
        Thread.sleep(50);
        release.countDown();
        Exception e = assertThrows(Exception.class, () -> first.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof OutOfMemoryError, String.valueOf(e.getCause()));
        waiter.get(5, TimeUnit.SECONDS); // ended, whatever it saw
        assertFalse(l.startPending());
        script = () -> new Fabric(2);
        assertEquals(2, l.ensureStarted().number, "a later task starts it");
    }
}
