package org.apache.spark.shuffle.efa.memory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The segments this executor opened to read its peers: one per peer, shared by the tasks that
 * read it, each task holding a {@link Lease} until it ends. A segment is closed (its address
 * leaves the address vector) once no task holds it and either it was forgotten after a failure
 * or nobody used it for {@link #IDLE}: with executors coming and going (dynamic allocation, spot
 * loss) the segments stay bounded by the peers read lately instead of every peer ever read.
 */
public final class PeerSegments {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeerSegments.class);
    /** Unused this long, a peer's segment is closed; reading it later opens it again (one driver ask). */
    public static final Duration IDLE = Duration.ofMinutes(2);

    /** What opens and closes a segment: the transfer engine, in production. */
    public interface Engine {
        long open(String name);

        void close(long segmentId);
    }

    /** One task's hold on a peer's segment; closing it twice is harmless. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public long segmentId() {
            return entry.id;
        }

        @Override
        public void close() {
            synchronized (PeerSegments.this) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--entry.users == 0) {
                    if (entry.forgotten) {
                        closeEntry(entry);
                    } else {
                        entry.idleSince = clock.getAsLong();
                    }
                }
            }
        }
    }

    private static final class Entry {
        final String name;
        final long id;
        int users;
        long idleSince;
        boolean forgotten;

        Entry(String name, long id) {
            this.name = name;
            this.id = id;
        }
    }

    private final Engine engine;
    private final LongSupplier clock;
    private final long idleNanos;
    private final Map<String, Entry> current = new HashMap<>();
    private int forgottenOpen;
    private long closedCount;

    public PeerSegments(Engine engine) {
        this(engine, System::nanoTime, IDLE);
    }

    PeerSegments(Engine engine, LongSupplier clock, Duration idle) {
        this.engine = engine;
        this.clock = clock;
        this.idleNanos = idle.toNanos();
    }

    /**
     * Holds the peer's segment, opening it on first use (a driver ask, made outside the lock so
     * other tasks' reads do not wait for it). Segments idle past {@link #IDLE} close here.
     */
    public Lease lease(String name) {
        synchronized (this) {
            closeIdle();
            Entry e = current.get(name);
            if (e != null) {
                e.users++;
                return new Lease(e);
            }
        }
        long id = engine.open(name);
        synchronized (this) {
            Entry e = current.get(name);
            if (e == null) {
                e = new Entry(name, id);
                current.put(name, e);
            } else {
                engine.close(id); // another task opened it meanwhile
            }
            e.users++;
            return new Lease(e);
        }
    }

    /**
     * After a failure: the next lease opens the peer's segment again (its descriptor looked up
     * anew). The old one closes when the last task holding it ends, not under its reads.
     */
    public synchronized void forget(String name) {
        Entry e = current.remove(name);
        if (e == null) {
            return;
        }
        if (e.users == 0) {
            closeEntry(e);
        } else {
            e.forgotten = true;
            forgottenOpen++;
        }
    }

    private void closeIdle() {
        long now = clock.getAsLong();
        for (Iterator<Entry> it = current.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.users == 0 && now - e.idleSince >= idleNanos) {
                it.remove();
                closeEntry(e);
            }
        }
    }

    private void closeEntry(Entry e) {
        if (e.forgotten) {
            forgottenOpen--;
        }
        closedCount++;
        try {
            engine.close(e.id);
        } catch (RuntimeException ex) {
            // The engine closed or failed meanwhile: it let go of its segments itself.
            LOG.debug("closing the segment of {}: {}", e.name, ex.toString());
        }
    }

    /** Segments open to peers now: current ones and forgotten ones still held by a task. */
    public synchronized int open() {
        return current.size() + forgottenOpen;
    }

    /** Segments closed so far (forgotten or idle). */
    public synchronized long closed() {
        return closedCount;
    }
}
