package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.Transfer;
import io.efashuffle.transfer.engine.TransferRequest;
import org.apache.spark.shuffle.efa.memory.ExecutorFabric;
import org.apache.spark.shuffle.efa.memory.PeerSegments;
import org.apache.spark.shuffle.efa.memory.ReceivePool;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What a reduce task's reader needs of its executor's fabric, and nothing more: post reads,
 * receive buffers, this executor's own map-output memory, and holds on peers' segments. The
 * reader's coordinator depends on this port, so its tests drive it with a scripted fabric.
 */
interface ReaderFabric {
    /** Posts one-sided reads (the engine's {@code submitAsync}); throws if this executor's fabric cannot. */
    Transfer submit(List<TransferRequest> requests);

    /** The executor's receive buffers, shared by its reduce tasks. */
    ReceivePool receivePool();

    /** This executor's staged map outputs' memory (read in place), or null when there is none. */
    MemorySegment localMemory();

    /** Holds a peer's segment for a task's reads (see {@link PeerSegments}). */
    SegmentLease leaseSegment(String name);

    /** Forgets a peer's segment after a failure: the next lease looks its descriptor up again. */
    void forgetSegment(String name);

    /** A task's hold on a peer's segment: its id for reads, given back once. */
    interface SegmentLease extends AutoCloseable {
        long segmentId();

        @Override
        void close();
    }

    /** The port over an executor's real fabric. */
    static ReaderFabric of(ExecutorFabric fabric) {
        return new ReaderFabric() {
            @Override
            public Transfer submit(List<TransferRequest> requests) {
                return fabric.engine().submitAsync(requests);
            }

            @Override
            public ReceivePool receivePool() {
                return fabric.receivePool();
            }

            @Override
            public MemorySegment localMemory() {
                return fabric.shuffleMemory() == null ? null : fabric.shuffleMemory().memory();
            }

            @Override
            public SegmentLease leaseSegment(String name) {
                PeerSegments.Lease lease = fabric.leaseSegment(name);
                return new SegmentLease() {
                    @Override
                    public long segmentId() {
                        return lease.segmentId();
                    }

                    @Override
                    public void close() {
                        lease.close();
                    }
                };
            }

            @Override
            public void forgetSegment(String name) {
                fabric.forgetSegment(name);
            }
        };
    }
}
