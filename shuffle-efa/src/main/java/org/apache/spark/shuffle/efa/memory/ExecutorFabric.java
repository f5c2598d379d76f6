package org.apache.spark.shuffle.efa.memory;

import io.efashuffle.transfer.engine.MetadataRegistry;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.RemoteAccess;
import org.apache.spark.shuffle.efa.config.EfaShuffleConf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One executor's fabric: a transfer engine whose segment holds the registered shuffle memory (map
 * outputs) and the registered receive pool (reduce-side landing buffers). Started once per
 * executor; its descriptor is published to the driver registry.
 */
public final class ExecutorFabric implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorFabric.class);
    private static final AtomicLong LEAKED_BYTES = new AtomicLong();

    private final TransferEngine engine;
    private final FabricTransport transport;
    private final NativeMapping shuffleMemory;
    private final NativeMapping receiveMemory;
    private final ReceivePool receivePool;
    private final MemoryPrefaulter prefaulter;
    private final PeerSegments peerSegments;
    private final String startTimes;

    private ExecutorFabric(TransferEngine engine, FabricTransport transport, NativeMapping shuffleMemory,
                           NativeMapping receiveMemory, long bufferSize, boolean prefault, String startTimes) {
        this.startTimes = startTimes;
        this.engine = engine;
        this.transport = transport;
        this.shuffleMemory = shuffleMemory;
        this.receiveMemory = receiveMemory;
        this.receivePool = new ReceivePool(receiveMemory.memory(), bufferSize);
        this.peerSegments = new PeerSegments(new PeerSegments.Engine() {
            @Override
            public long open(String name) {
                return engine.openSegment(name);
            }

            @Override
            public void close(long segmentId) {
                engine.closeSegment(segmentId);
            }
        });
        this.prefaulter = prefault ? new MemoryPrefaulter(receiveMemory, shuffleMemory) : null;
    }

    /**
     * Opens the transport, maps and registers both regions, and publishes the descriptor. Anything
     * that fails (no libfabric, no provider, memlock too low, registration refused) is thrown with
     * its own message after everything opened so far is closed again. Without {@code stagesMapOutputs}
     * (map outputs go to files) no shuffle memory is mapped: on EFA it would be pinned for nothing.
     */
    public static ExecutorFabric start(EfaShuffleConf conf, String segmentName, MetadataRegistry registry,
                                       boolean stagesMapOutputs) {
        long t0 = System.nanoTime();
        TransferEngine engine = new TransferEngine(segmentName, registry);
        NativeMapping shuffle = null;
        NativeMapping receive = null;
        try {
            FabricTransport transport = engine.installTransport(new FabricTransport(conf.transport()));
            long t1 = System.nanoTime();
            if (stagesMapOutputs && conf.bufferBudget() > 0) {
                shuffle = new NativeMapping(conf.bufferBudget());
                // Peers only read map outputs; nothing of an executor is remotely writable.
                engine.registerLocalMemory(shuffle.memory(), "cpu:0", RemoteAccess.READ, false);
            }
            receive = new NativeMapping(conf.receivePoolSize());
            // Landing buffers are this executor's own: not published, not accessible to peers.
            engine.registerLocalMemory(receive.memory(), "cpu:0", RemoteAccess.NONE, false);
            long t2 = System.nanoTime();
            engine.publishLocal();
            long t3 = System.nanoTime();
            String times = String.format("started in %d ms: transport %d, registration %d, publish %d",
                    (t3 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
            return new ExecutorFabric(engine, transport, shuffle, receive, conf.receiveBufferSize(), conf.prefault(),
                    times);
        } catch (RuntimeException | LinkageError e) {
            engine.close();
            if (shuffle != null) {
                shuffle.close();
            }
            if (receive != null) {
                receive.close();
            }
            throw e;
        }
    }

    public TransferEngine engine() {
        return engine;
    }

    /** Why the fabric stopped working (a rail's progress thread failed), or null while it works. */
    public Throwable failure() {
        return transport.failure();
    }

    /** Calls {@code listener} once, on a thread of its own, when the fabric fails while running. */
    public void onFailure(Consumer<Throwable> listener) {
        transport.onFailure(listener);
    }

    /** Fault injection for tests: a progress thread fails as if libfabric had failed under it. */
    public void injectProgressFailure(String reason) {
        transport.injectProgressFailure(reason);
    }

    /**
     * Fault injection for tests: a progress thread stays inside "the provider" until {@code resume}
     * counts down, as one spinning on a lock a dead peer held; the stall watchdog then fails its rail.
     */
    public void injectProgressStall(java.util.concurrent.CountDownLatch resume) {
        transport.injectProgressStall(resume);
    }

    public String describe() {
        return transport.describe();
    }

    /** How long start took and where (transport: libfabric, endpoints; registration; publishing to the driver). */
    public String startTimes() {
        return startTimes;
    }

    public String segmentName() {
        return engine.localSegmentName();
    }

    /** Registered memory for map outputs, or null when the budget is 0 or map outputs go to files. */
    public NativeMapping shuffleMemory() {
        return shuffleMemory;
    }

    /**
     * Map outputs now use the map-output memory up to byte {@code end} (the arena's high-water
     * mark): with prefaulting on, the memory ahead of it is made resident in the background.
     */
    public void shuffleMemoryUsedUpTo(long end) {
        if (prefaulter != null) {
            prefaulter.advance(end);
        }
    }

    public ReceivePool receivePool() {
        return receivePool;
    }

    public long registeredBytes() {
        return transport.registeredBytes();
    }

    /** CPU time of the rails' progress threads so far (an idle one sleeps: this stays still). */
    public long progressCpuNanos() {
        return transport.progressCpuNanos();
    }

    /** Peers inserted ahead of their reads ({@code peers.insertAhead}). */
    public long knownPeers() {
        return engine.knownPeers().size();
    }


    /** Holds a peer executor's segment for a task's reads (see {@link PeerSegments}). */
    public PeerSegments.Lease leaseSegment(String name) {
        return peerSegments.lease(name);
    }

    /**
     * Forgets a peer (after a failure) so the next lease looks its descriptor up again. The old
     * segment stays open while tasks still read through it: closing it under them would fail
     * their reads with the wrong error.
     */
    public void forgetSegment(String name) {
        peerSegments.forget(name);
    }

    /** Segments open to peer executors (a gauge: bounded by the peers read lately). */
    public int openPeerSegments() {
        return peerSegments.open();
    }

    /** Peer addresses in the address vector for open segments and peers inserted ahead. */
    public int peerAddresses() {
        return transport.peerAddresses();
    }

    /** Peer addresses no segment uses, kept until the provider lets go of a failed read to them. */
    public int addressesAwaitingRelease() {
        return transport.addressesAwaitingRelease();
    }

    @Override
    public void close() {
        close(true);
    }

    /**
     * Closes the engine (it unregisters memory and closes the endpoint first), then unmaps. With
     * {@code unmapShuffleMemory} false the map-output memory stays mapped: Spark may still be
     * sending blocks from it, and reading an unmapped page would crash the process.
     */
    public void close(boolean unmapShuffleMemory) {
        if (prefaulter != null) {
            prefaulter.close();
        }
        engine.close();
        if (transport.memoryLeftToProvider()) {
            // A rail stuck in the provider was left open: a late read may still land in the
            // receive pool, and a peer's read may still reach map outputs. Unmapping either could
            // crash the process or hand the pages to someone else; they stay until it exits.
            long bytes = receiveMemory.memory().byteSize() + (shuffleMemory == null ? 0 : shuffleMemory.memory().byteSize());
            if (LEAKED_BYTES.getAndAdd(bytes) == 0) {
                LOG.error("EFA shuffle fabric {} closed with a rail stuck in the provider: its {} bytes of registered "
                        + "memory stay mapped until the executor exits (logged once; fabric.leakedBytes counts them)",
                        segmentName(), bytes);
            }
            return;
        }
        if (shuffleMemory != null && unmapShuffleMemory) {
            shuffleMemory.close();
        }
        receiveMemory.close();
    }

    /** Registered memory left mapped by fabrics closed under a stuck rail, in this executor so far. */
    public static long leakedBytes() {
        return LEAKED_BYTES.get();
    }
}
