package org.apache.spark.shuffle.efa.registry;

import io.efashuffle.transfer.engine.SegmentDescriptor;
import io.efashuffle.transfer.engine.SegmentDescriptorCodec;
import io.efashuffle.transfer.engine.TransferEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * An executor's side of {@link PeerLog}: a daemon thread that asks the driver what joined and
 * left since the mark this executor has reached, inserts the joined executors' endpoints into its
 * address vector ({@link TransferEngine#knowPeer}) and removes the departed ones, then reports the
 * new mark with its next ask (at once after a change, else after the interval). A change it could
 * not apply keeps the old mark, so the driver never counts a peer as inserted that is not.
 */
public final class PeerSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);

    private final TransferEngine engine;
    private final BiFunction<String, Long, RegistryMessage.PeerChanges> driver;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long mark;

    /** @param driver asks the driver: (this segment, mark reached) to the changes since */
    public PeerSync(TransferEngine engine, BiFunction<String, Long, RegistryMessage.PeerChanges> driver,
                    Duration interval) {
        this.engine = engine;
        this.driver = driver;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("efa-peer-sync").unstarted(this::run);
    }

    public PeerSync start() {
        thread.start();
        return this;
    }

    /** The mark this executor has reached (tests). */
    public long mark() {
        return mark;
    }

    private void run() {
        long failures = 0;
        while (!closed) {
            boolean changed = false;
            try {
                RegistryMessage.PeerChanges c = driver.apply(engine.localSegmentName(), mark);
                changed = c.through() != mark;
                apply(c);
                mark = c.through();
                failures = 0;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                // The driver may be busy or briefly unreachable; readers fall back meanwhile.
                if (failures++ % 60 == 0) {
                    LOG.warn("EFA shuffle peer sync of {} failed (mark {}); trying again", engine.localSegmentName(),
                            mark, e);
                }
            }
            if (!changed && !sleep()) {
                return;
            }
        }
    }

    private void apply(RegistryMessage.PeerChanges c) {
        String self = engine.localSegmentName();
        if (c.complete()) {
            Set<String> live = new HashSet<>();
            c.joined().forEach(j -> live.add(j.segmentName()));
            for (String known : engine.knownPeers()) {
                if (!live.contains(known)) {
                    engine.forgetPeer(known);
                }
            }
        }
        for (RegistryMessage.PeerChanges.Joined j : c.joined()) {
            if (!j.segmentName().equals(self)) {
                SegmentDescriptor d = SegmentDescriptorCodec.decode(j.descriptor());
                if (!engine.knowPeer(d)) {
                    LOG.debug("peer {} speaks {}, not this executor's protocol: not inserted", d.name(), d.protocol());
                }
            }
        }
        for (String name : c.left()) {
            engine.forgetPeer(name);
        }
    }

    private boolean sleep() {
        try {
            Thread.sleep(interval);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(interval.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
