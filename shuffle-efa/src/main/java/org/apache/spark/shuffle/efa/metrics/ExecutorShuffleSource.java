package org.apache.spark.shuffle.efa.metrics;

import com.codahale.metrics.Counter;
import org.apache.spark.shuffle.efa.memory.ExecutorFabric;
import org.apache.spark.shuffle.efa.memory.ReceivePool;
import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One executor's plugin metrics in Spark's metrics system (source {@value #NAME}): what is
 * registered and staged now, and what reduce tasks read, by path. Sinks configured in
 * metrics.properties (JMX, Prometheus servlet, CSV...) report it like any Spark source.
 */
public final class ExecutorShuffleSource extends GaugeSource {
    public static final String NAME = "efaShuffle";

    private final Map<ShuffleCounter, Counter> counters = new EnumMap<>(ShuffleCounter.class);

    public ExecutorShuffleSource(LongSupplier registeredBytes, LongSupplier stagedBytes, LongSupplier stagedOutputs,
                                 ReceivePool receivePool, LongSupplier knownPeers, LongSupplier peerSegments,
                                 LongSupplier peerAddresses, LongSupplier addressesAwaitingRelease,
                                 LongSupplier progressCpuNanos) {
        super(NAME);
        gauge("registeredBytes", registeredBytes);
        gauge("stagedBytes", stagedBytes);
        gauge("stagedMapOutputs", stagedOutputs);
        gauge("receive.buffers", receivePool::total);
        gauge("receive.freeBuffers", receivePool::freeBuffers);
        gauge("receive.quarantinedBuffers", receivePool::quarantinedBuffers);
        gauge("peers.insertedAhead", knownPeers); // peers.insertAhead: executors inserted as they joined
        gauge("peers.segments", peerSegments); // peers' segments open for this executor's reads (PeerSegments)
        gauge("peers.addresses", peerAddresses); // peer addresses in the address vector for segments and peers ahead
        gauge("peers.addressesAwaitingRelease", addressesAwaitingRelease); // unused, kept under a held read
        gauge("fabric.progressCpuNanos", progressCpuNanos); // the rails' progress threads, CPU time so far
        gauge("fabric.leakedBytes", ExecutorFabric::leakedBytes); // left mapped under a rail stuck in the provider
        for (ShuffleCounter c : ShuffleCounter.values()) {
            if (c.countedByTasks) {
                counters.put(c, registry.counter(c.metric));
            }
        }
    }

    /** Adds one reduce task's counters. */
    public void add(ShuffleCounts counts) {
        counters.forEach((c, counter) -> counter.inc(counts.get(c)));
    }
}
