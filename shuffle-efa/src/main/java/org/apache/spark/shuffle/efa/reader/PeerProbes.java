package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.MapOutputLocation;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * One question at a time per serving executor for all of this executor's waiting reads: is it
 * still there (its block manager port refuses connections once it died), and does the driver
 * still list its segment (withdrawn when its fabric failed)? A waiting read takes the newest
 * answer without waiting, and an answer older than the interval starts the next question in the
 * background. A paused server so costs the driver at most one ask per interval from each
 * executor, however many reads wait on it.
 */
public final class PeerProbes implements RetryingFetcher.Peers {
    /** Between two questions about one serving executor: a dead one is found within about this. */
    public static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Longest wait for a fresh answer after a failed read; past it the read goes on as if the server serves. */
    private static final long FRESH_WAIT_MILLIS = 5_000;

    /** The two questions, asked on a probe thread. */
    public interface Questions {
        /** Only a refused connection counts as gone (see {@link PeerLiveness}). */
        boolean isGone(String host, int port);

        /** Whether the driver still lists the location's segment; true when it cannot be asked. */
        boolean stillPublished(MapOutputLocation location);
    }

    private record Answer(PeerState state, long atNanos) {}

    /** What is known of one serving executor, and its question in flight. */
    private static final class Peer {
        volatile Answer last;
        CompletableFuture<Answer> asking; // guarded by this
    }

    private final Questions questions;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Executor threads;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong asked = new AtomicLong();

    PeerProbes(Questions questions, long intervalNanos, LongSupplier clock, Executor threads) {
        this.questions = questions;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.threads = threads;
    }

    /** The executor's probes: its block manager port by {@link PeerLiveness}, the driver by {@code stillPublished}. */
    public static PeerProbes forExecutor(Predicate<MapOutputLocation> stillPublished) {
        return new PeerProbes(new Questions() {
            @Override
            public boolean isGone(String host, int port) {
                return PeerLiveness.isGone(host, port);
            }

            @Override
            public boolean stillPublished(MapOutputLocation location) {
                return stillPublished.test(location);
            }
        }, INTERVAL_NANOS, System::nanoTime,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("efa-peer-probe-", 0).factory()));
    }

    @Override
    public PeerState latest(MapRead map) {
        Peer p = peer(map);
        Answer a = p.last;
        if (!isFresh(a)) {
            ask(p, map);
        }
        return a == null ? PeerState.SERVING : a.state();
    }

    @Override
    public PeerState fresh(MapRead map) {
        Peer p = peer(map);
        Answer a = p.last;
        try {
            return ask(p, map).get(FRESH_WAIT_MILLIS, TimeUnit.MILLISECONDS).state();
        } catch (TimeoutException | ExecutionException e) {
            return a == null ? PeerState.SERVING : a.state(); // no news: the read goes on as it would
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return a == null ? PeerState.SERVING : a.state();
        }
    }

    /** Questions asked so far (each is at most one connection attempt and one driver ask). */
    public long asked() {
        return asked.get();
    }

    private Peer peer(MapRead map) {
        return peers.computeIfAbsent(map.location.segmentName(), k -> new Peer());
    }

    /** Whether {@code a} is younger than the interval: no question is asked about its peer yet. */
    private boolean isFresh(Answer a) {
        return a != null && clock.getAsLong() - a.atNanos() < intervalNanos;
    }

    /** An answer that came in meanwhile, the question in flight about {@code p}, or a new one. */
    private CompletableFuture<Answer> ask(Peer p, MapRead map) {
        CompletableFuture<Answer> f;
        synchronized (p) {
            Answer a = p.last;
            if (isFresh(a)) {
                return CompletableFuture.completedFuture(a);
            }
            if (p.asking != null) {
                return p.asking;
            }
            f = new CompletableFuture<>();
            p.asking = f;
        }
        asked.incrementAndGet();
        threads.execute(() -> {
            Answer a;
            try {
                a = new Answer(state(map), clock.getAsLong());
            } catch (RuntimeException e) {
                a = new Answer(PeerState.SERVING, clock.getAsLong()); // no answer says nothing
            }
            synchronized (p) {
                p.last = a;
                p.asking = null;
            }
            f.complete(a);
        });
        return f;
    }

    private PeerState state(MapRead map) {
        if (questions.isGone(map.address.host(), map.address.port())) {
            return PeerState.GONE;
        }
        return questions.stillPublished(map.location) ? PeerState.SERVING : PeerState.WITHDRAWN;
    }
}
