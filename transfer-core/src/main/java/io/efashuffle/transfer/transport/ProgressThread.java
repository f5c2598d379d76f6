package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The one thread that makes every libfabric call of a rail: it takes work from a lock-free inbox,
 * posts, polls, expires deadlines, sleeps when idle as {@link IdlePolicy} says, drains and closes
 * the endpoint on close; when it fails, everything waiting fails with it. The watchdog
 * ({@link StallWatchdog}) fails the rail when the thread is stuck inside the provider.
 */
final class ProgressThread {
    private static final System.Logger LOG = System.getLogger(ProgressThread.class.getName());
    private static final int POST_BATCH = 256;
    private static final int EVENTS_PER_POLL = 16;
    private static final long DEADLINE_SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long BUSY_PARK_NANOS = 50_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The thread's life: running; close asked (it drains and closes the endpoint); ended. */
    enum Life { RUNNING, CLOSING, STOPPED }

    /**
     * Whether the rail works: failed in its loop (everything waiting fails, the endpoint closes), or
     * stalled inside the provider as the watchdog found (its operations' memory stays the provider's).
     */
    enum Health { OK, FAILED, STALLED }

    private final int rail;
    private final TransportConfig config;
    private final IdlePolicy idle;
    private final ProgressStallDetector stall;
    private final Consumer<Throwable> onFailed;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile Life life = Life.RUNNING;
    private volatile Health health = Health.OK;
    private volatile Throwable failure;
    private volatile boolean sleeping;
    /** Close left the endpoint open under a stuck or unstoppable thread. */
    private volatile boolean leftToProvider;
    // Written by the thread each time round its loop, read by the watchdog.
    private volatile long beatNanos = System.nanoTime();
    private volatile boolean holding;
    private volatile long sleeps;
    private volatile RailEndpoint endpoint; // the thread's, once attached (read by wake)
    private OperationTable table;
    private boolean blockInRead;

    /**
     * @param onFailed told once: from the thread after a failed rail let go of its memory, or from
     *                 the watchdog when the thread is stuck in the provider
     */
    ProgressThread(int rail, String name, TransportConfig config, IdlePolicy idle, ProgressStallDetector stall,
                   Consumer<Throwable> onFailed) {
        this.rail = rail;
        this.config = config;
        this.idle = idle;
        this.stall = stall;
        this.onFailed = onFailed;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        thread.start();
    }

    /** Gives the thread its endpoint and operations, on the thread; {@code blockInRead}: idle in fi_cq_sread. */
    void attach(RailEndpoint endpoint, OperationTable table, boolean blockInRead) {
        this.endpoint = endpoint;
        this.table = table;
        this.blockInRead = blockInRead;
    }

    long sleeps() {
        return sleeps;
    }

    /** CPU time of the thread so far (0 once it has ended). */
    long cpuNanos() {
        return Math.max(0, THREADS.getThreadCpuTime(thread.threadId()));
    }

    /** Why the rail stopped working, or null while it works (or after a clean close). */
    Throwable failure() {
        return failure;
    }

    boolean leftToProvider() {
        return leftToProvider;
    }

    // ---- any thread ----

    void submit(RmaOperation op) {
        offer(op);
    }

    /** Runs {@code task} on the thread without waiting for it. */
    void execute(Runnable task) {
        offer(task);
    }

    private void offer(Object work) {
        checkUsable();
        inbox.offer(work);
        wake();
    }

    /** Runs {@code task} on the thread and returns its result. */
    <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new TransportException(e.getMessage(), e);
            }
        }
        checkUsable();
        FutureTask<T> future = new FutureTask<>(task);
        inbox.offer(future);
        wake();
        try {
            return future.get(config.operationTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new TransportException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new TransportException("progress thread of rail " + rail + " did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted", e);
        }
    }

    private void checkUsable() {
        Throwable f = failure; // first: a failed rail is also stopped, and the failure is the news
        if (f != null) {
            throw new RailFailedException("rail " + rail + " failed earlier: " + f, f);
        }
        if (life != Life.RUNNING) {
            throw new IllegalStateException("transport is closed");
        }
    }

    private void wake() {
        if (sleeping) {
            RailEndpoint e = endpoint;
            if (blockInRead && e != null) {
                e.signal();
            }
            LockSupport.unpark(thread);
        }
    }

    /** Refuses new work and asks the thread to drain and close; does not wait. */
    void beginClose() {
        if (life == Life.RUNNING) {
            life = Life.CLOSING;
        }
        if (thread.isAlive()) {
            wake();
        }
    }

    /** Waits (bounded) for the thread to close the endpoint; never frees what a stuck provider may still write. */
    void awaitClose() {
        if (health == Health.STALLED) {
            leaveToProvider("is stuck in the provider");
            return;
        }
        try {
            thread.join(config.operationTimeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            leaveToProvider("did not stop");
        }
    }

    /** Never frees what the provider may still touch: its objects and memory stay until the process exits. */
    private void leaveToProvider(String why) {
        leftToProvider = true;
        LOG.log(System.Logger.Level.ERROR, "progress thread of rail " + rail + " " + why + "; leaking its "
                + "libfabric objects rather than freeing them under it");
    }

    // ---- the watchdog's thread ----

    /**
     * Fails the rail when the thread is stuck inside the provider with work waiting on it
     * ({@link ProgressStallDetector}): waiting operations get their outcome, a failure, so readers
     * go on; none is released, since the provider may still write their memory; nothing is asked
     * of libfabric; the owner hears of the failure as of any other.
     */
    void failIfStalled(long now, String provider) {
        if (health != Health.OK || life != Life.RUNNING
                || !stall.stalled(beatNanos, now, holding || !inbox.isEmpty())) {
            return;
        }
        TransportException error = ProgressStallDetector.failure(rail, provider, now - beatNanos);
        health = Health.STALLED;
        failure = error;
        LOG.log(System.Logger.Level.ERROR, error.getMessage());
        failInbox(error); // only what the provider never saw is released
        OperationTable t = table;
        if (t != null) {
            t.failFromWatchdog(error);
        }
        onFailed.accept(error);
    }

    // ---- the thread ----

    private void run() {
        try {
            loop();
        } catch (Throwable t) {
            if (health == Health.OK) {
                failure = t;
                health = Health.FAILED;
            }
            LOG.log(System.Logger.Level.ERROR, "progress thread of rail " + rail + " failed", t);
            TransportException error = new RailFailedException("fabric progress failed: " + t, t);
            failInbox(error);
            if (table != null) {
                table.failAll(error);
            }
        } finally {
            tearDown();
            life = Life.STOPPED;
        }
        if (health == Health.FAILED) {
            onFailed.accept(failure); // a stalled rail's owner heard of it from the watchdog
        }
    }

    /** Closes the endpoint, then releases what it held, then frees the operations' contexts. */
    private void tearDown() {
        if (table != null) { // attached together with its endpoint
            endpoint.close(table::releaseAll);
            table.close();
        }
    }

    /** Polls, posts and expires until closed; when to spin, park or sleep is {@link IdlePolicy}'s. */
    private void loop() {
        long nextScan = 0;
        while (true) {
            beatNanos = System.nanoTime();
            OperationTable t = table;
            holding = t != null && t.holding();
            boolean worked = runInbox();
            boolean served = false;
            if (t != null) {
                if (!t.holding() && idle.judgesServing()) {
                    // Nothing of ours in flight: a slow empty poll means the provider served a peer.
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    boolean completed = t.drainCompletions() > 0;
                    long took = THREADS.getCurrentThreadCpuTime() - t0;
                    worked |= completed;
                    served = !completed && idle.servedPeer(took);
                } else {
                    worked |= t.drainCompletions() > 0;
                }
                if (t.holding()) {
                    long now = System.nanoTime();
                    if (now - nextScan >= 0) {
                        t.expireOverdue(now);
                        nextScan = now + DEADLINE_SCAN_NANOS;
                        t.removeReleasedPeers(); // an expired backlog entry may have been the last user
                    }
                }
                if (worked) {
                    t.removeReleasedPeers(); // a completion may have released the last user
                }
                if ((idle.idleRounds() & 1023) == 0) {
                    pollEvents();
                }
            }
            if (life == Life.CLOSING) {
                drainForClose();
                return;
            }
            switch (idle.next(worked, t != null && t.busy(), served, inbox.isEmpty())) {
                case POLL -> {
                    if (!worked) {
                        Thread.onSpinWait();
                    }
                }
                case PARK_BRIEFLY -> waitBriefly();
                case SLEEP -> sleep();
            }
        }
    }

    /**
     * Nothing to do: parks until woken where the provider progresses by itself, else blocks in
     * fi_cq_sread where the CQ has a wait object, else parks with back-off.
     */
    private void sleep() {
        sleeping = true;
        if (inbox.isEmpty() && life == Life.RUNNING) {
            sleeps++;
            if (idle.sleepsUntilWoken()) {
                if (table != null && table.abandonedHeld()) {
                    LockSupport.parkNanos(this, GonePeerReads.GRACE_NANOS); // held reads' peers are checked
                } else {
                    LockSupport.park(this); // the provider serves peers; submit, call and close wake us
                }
            } else if (blockInRead) {
                table.awaitCompletions(config.idleWaitMillis());
            } else {
                LockSupport.parkNanos(idle.idleParkNanos());
            }
        }
        sleeping = false;
    }

    /**
     * Operations are in flight but none completes soon: park briefly, not fi_cq_sread (providers
     * differ in whether a blocking read progresses and honours its timeout with a peer gone; shm
     * does not), and in-flight deadlines must be checked.
     */
    private void waitBriefly() {
        sleeping = true;
        if (inbox.isEmpty() && life == Life.RUNNING) {
            LockSupport.parkNanos(BUSY_PARK_NANOS);
        }
        sleeping = false;
    }

    private boolean runInbox() {
        boolean worked = false;
        int budget = POST_BATCH;
        if (table != null && table.backlogged()) {
            int n = table.postBacklog(budget);
            worked = n > 0;
            budget -= n;
        }
        Object item;
        while (budget-- > 0 && (item = inbox.poll()) != null) {
            worked = true;
            if (item instanceof RmaOperation op) {
                table.offer(op);
            } else {
                ((Runnable) item).run();
            }
        }
        return worked;
    }

    /** Logs what the provider reported; bounded, since a persistent error reads the same entry again. */
    private void pollEvents() {
        String event;
        for (int i = 0; i < EVENTS_PER_POLL && (event = endpoint.pollEvent()) != null; i++) {
            LOG.log(System.Logger.Level.WARNING, "rail " + rail + ": " + event);
        }
    }

    /** On close: refuse new work, give in-flight operations a bounded time, fail the rest. */
    private void drainForClose() {
        TransportException closed = new RailFailedException("transport closed", fabric_h.FI_ECANCELED());
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof RmaOperation op) {
                table.failUnposted(op, closed); // an operation arrives only once a table is attached
            } else {
                ((Runnable) item).run();
            }
        }
        if (table != null) {
            table.drainForClose(closed, Math.min(config.operationTimeout().toNanos(), TimeUnit.SECONDS.toNanos(5)));
        }
    }

    /** Fails what callers handed over and the provider never saw: it holds no provider resource. */
    private void failInbox(TransportException error) {
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof RmaOperation op) {
                op.finish(error);
            } else if (item instanceof FutureTask<?> f) {
                f.cancel(false);
            }
        }
    }
}
