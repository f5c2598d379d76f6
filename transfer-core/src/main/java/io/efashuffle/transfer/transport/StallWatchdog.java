package io.efashuffle.transfer.transport;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread per process that asks every open rail, once a second, whether its progress
 * thread is stuck in the provider ({@link Rail#failIfStalled}). It never calls libfabric.
 */
final class StallWatchdog {
    private static final long PERIOD_MILLIS = 1000;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("efa-progress-watchdog").unstarted(r));

    private StallWatchdog() {}

    /** Watches {@code rail} until the returned handle is cancelled. */
    static ScheduledFuture<?> watch(Rail rail) {
        return TIMER.scheduleWithFixedDelay(() -> rail.failIfStalled(System.nanoTime()), PERIOD_MILLIS,
                PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }
}
