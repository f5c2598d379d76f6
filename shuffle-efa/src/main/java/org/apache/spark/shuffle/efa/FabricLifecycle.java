package org.apache.spark.shuffle.efa;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The life of one executor's fabric: started at most once at a time for any number of concurrent
 * tasks, each of which either uses it, takes Spark's built-in path, or (where the settings forbid
 * that path) waits for the start or fails naming the setting; a transient start failure is tried
 * again as {@link StartRetryPolicy} says; a fabric that fails while running is retired exactly
 * once and never restarted; a close during a start stops what that start made.
 *
 * @param <F> what a start makes (the runtime's started fabric and what hangs off it)
 */
final class FabricLifecycle<F> {
    private static final Logger LOG = LoggerFactory.getLogger(FabricLifecycle.class);

    /** Starts and stops the fabric; the lifecycle decides when. */
    interface Starter<F> {
        /** Starts; throws with the reason tasks are told. */
        F start();

        /** Why a started fabric stopped working, or null while it works. */
        Throwable failure(F started);

        /** Asks for {@code retire} to run (on any thread) when a started fabric fails while running. */
        void onFailure(F started, Runnable retire);

        /** A fabric that failed while running leaves service: withdrawn from peers, still serving what it staged. */
        void withdraw(F failed, String why, Throwable cause);

        /** Closes a fabric for good. */
        void stop(F started);
    }

    /** Why tasks find no fabric: the reason they are told, and its cause. */
    private record Failure(String why, Throwable cause) {}

    private final Starter<F> starter;
    private final StartRetryPolicy retry;
    private final boolean required;
    private final Function<String, String> refusal;
    private final Supplier<String> executorId;
    private final Object lock = new Object();
    private volatile F live;
    /** A start whose fabric failed later: its staged outputs are still served through Spark's paths. */
    private volatile F retired;
    // guarded by lock:
    private CompletableFuture<Void> starting;
    private Failure failure;
    private boolean closed;
    private boolean disabled;
    private boolean builtinWhileStartingLogged;
    private boolean launchStartPending;

    /**
     * @param refusal    null where tasks may take Spark's built-in path; else they wait for a start, and one
     *                   that failed fails them with this message (given the executor id; it names the setting
     *                   that forbids the built-in path), then the reason
     * @param executorId for log lines and failures (known once the executor's environment is)
     */
    FabricLifecycle(Starter<F> starter, StartRetryPolicy retry, Function<String, String> refusal,
                    Supplier<String> executorId) {
        this.starter = starter;
        this.retry = retry;
        this.required = refusal != null;
        this.refusal = refusal;
        this.executorId = executorId;
    }

    /** Never starts (a configuration the fabric cannot serve): every task takes the built-in path. */
    void disable() {
        synchronized (lock) {
            disabled = true;
        }
    }

    /**
     * The started fabric, starting it if no start is running and the retry policy allows one, or
     * waiting for the one running; null where this task uses the built-in path. Throws where the
     * settings forbid that path.
     */
    F ensureStarted() {
        F l = live;
        if (l != null && starter.failure(l) == null) {
            return l;
        }
        if (l != null) {
            retire(l);
        }
        CompletableFuture<Void> attempt;
        boolean mine = false;
        synchronized (lock) {
            if (live != null || closed || disabled) {
                return live;
            }
            if (retired == null && starting == null && retry.mayAttempt()) {
                starting = new CompletableFuture<>();
                mine = true;
            }
            attempt = starting;
        }
        if (mine) {
            try {
                startOnce();
            } finally {
                // Even if an Error escaped the start: no waiter may hang, a later task may try again.
                synchronized (lock) {
                    if (starting == attempt) {
                        starting = null;
                    }
                }
                attempt.complete(null);
            }
        } else if (attempt != null) {
            attempt.join(); // the outcome is in live / failure; the future only signals the end
        }
        l = live;
        if (l == null) {
            refuseIfRequired();
        }
        return l;
    }

    /**
     * The started fabric, or null where this task uses Spark's built-in path. Unlike
     * {@link #ensureStarted()}, a task does not wait for a start that is running (opening the
     * fabric takes seconds on a fresh executor, while its first tasks are ready at once), unless
     * the built-in path is forbidden.
     */
    F startedOrBuiltin() {
        if (live == null && !required) {
            synchronized (lock) {
                if (startUnderway()) {
                    if (!builtinWhileStartingLogged) {
                        builtinWhileStartingLogged = true;
                        LOG.info("EFA shuffle on executor {}: the fabric is still starting; tasks use Spark's built-in "
                                + "path (map outputs to files) until it has started", executorId.get());
                    }
                    return null;
                }
            }
        }
        return ensureStarted();
    }

    /** The running fabric, else one that failed later (still serving what it staged), else null; never starts. */
    F current() {
        F l = live;
        return l != null ? l : retired;
    }

    /** The running fabric, or null; never starts. */
    F live() {
        return live;
    }

    /** A start at executor launch is coming (its thread runs {@link #ensureStarted()}); tasks meanwhile take the built-in path. */
    void launchStartComing() {
        synchronized (lock) {
            launchStartPending = true;
        }
    }

    /** The launch thread is done, whatever came of it. */
    void launchStartEnded() {
        synchronized (lock) {
            launchStartPending = false;
        }
    }

    /** Whether a start has no outcome yet: running, or coming from the launch thread. */
    boolean startPending() {
        synchronized (lock) {
            return startUnderway();
        }
    }

    private boolean startUnderway() {
        return live == null && (starting != null || (launchStartPending && retired == null && failure == null));
    }

    /** The fabric failed while running: it leaves service once, whoever noticed first. */
    void retire(F l) {
        Failure f;
        synchronized (lock) {
            if (live != l) {
                return;
            }
            live = null;
            retired = l;
            Throwable cause = starter.failure(l);
            f = new Failure("its fabric failed while running (" + cause + ")", cause);
            failure = f;
        }
        starter.withdraw(l, f.why(), f.cause());
    }

    private void startOnce() {
        F result = null;
        Throwable cause = null;
        try {
            result = starter.start();
        } catch (RuntimeException | LinkageError e) {
            cause = e;
        }
        boolean stop = false;
        synchronized (lock) {
            if (result != null && closed) {
                stop = true; // closed while starting: nobody may use it
            } else if (result != null) {
                live = result;
                failure = null;
                F started = result;
                starter.onFailure(started, () -> retire(started));
            } else {
                Optional<Duration> again = retry.failed(cause);
                failure = new Failure(cause.getMessage() + again.map(d -> " (transient: trying again in "
                        + d.toSeconds() + " s)").orElse(retry.givenUp() && StartRetryPolicy.isTransient(cause)
                        ? " (gave up after repeated transient failures)" : ""), cause);
                warnFallback(failure);
            }
        }
        if (stop) {
            starter.stop(result);
        }
    }

    /** Called by each task that finds no fabric: fails it where the built-in path is forbidden. */
    private void refuseIfRequired() {
        Failure f;
        synchronized (lock) {
            if (closed || failure == null) {
                return;
            }
            f = failure;
        }
        if (required) {
            throw new IllegalStateException(refusal.apply(executorId.get()) + ": " + f.why(), f.cause());
        }
    }

    private void warnFallback(Failure f) {
        if (required) {
            LOG.error("EFA shuffle cannot start on executor {}: {}. Tasks that need it fail.", executorId.get(), f.why(),
                    f.cause());
        } else {
            LOG.warn("EFA shuffle unavailable on executor {}: {}. This executor writes and reads shuffle data "
                    + "through Spark's built-in path{}. Run `java -jar shuffle-efa-<version>.jar doctor` on this node.",
                    executorId.get(), f.why(), retry.givenUp() ? "" : " until a start succeeds");
        }
    }

    /** Stops the running fabric and a retired one; a start still running stops what it made. */
    void close() {
        F l;
        F r;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            l = live;
            live = null;
            r = retired;
            retired = null;
        }
        if (l != null) {
            starter.stop(l);
        }
        if (r != null) {
            starter.stop(r);
        }
    }
}
