package org.apache.spark.shuffle.efa.metrics;

import com.codahale.metrics.Counter;
import org.apache.spark.shuffle.efa.fabric.ReceivePool;
import org.apache.spark.shuffle.efa.registry.ReadStats;

import java.util.function.LongSupplier;

/**
 * One executor's plugin metrics in Spark's metrics system (source {@value #NAME}): what is
 * registered and staged now, and what reduce tasks read, by path. Sinks configured in
 * metrics.properties (JMX, Prometheus servlet, CSV...) report it like any Spark source.
 */
public final class ExecutorShuffleSource extends GaugeSource {
    public static final String NAME = "efaShuffle";

    private final Counter fabricBytes = registry.counter("read.fabricBytes");
    private final Counter fabricBlocks = registry.counter("read.fabricBlocks");
    private final Counter localStagedBytes = registry.counter("read.localStagedBytes");
    private final Counter fallbackBlocks = registry.counter("read.fallbackBlocks");
    private final Counter indexReads = registry.counter("read.indexReads");
    private final Counter dataReads = registry.counter("read.dataReads");
    private final Counter retries = registry.counter("read.retries");

    public ExecutorShuffleSource(LongSupplier registeredBytes, LongSupplier stagedBytes, LongSupplier stagedOutputs,
                                 ReceivePool receivePool) {
        super(NAME);
        gauge("registeredBytes", registeredBytes);
        gauge("stagedBytes", stagedBytes);
        gauge("stagedMapOutputs", stagedOutputs);
        gauge("receive.buffers", receivePool::total);
        gauge("receive.freeBuffers", receivePool::freeBuffers);
        gauge("receive.quarantinedBuffers", receivePool::quarantinedBuffers);
    }

    /** Adds one reduce task's counters. */
    public void add(ReadStats s) {
        fabricBytes.inc(s.fabricBytes());
        fabricBlocks.inc(s.fabricBlocks());
        localStagedBytes.inc(s.localStagedBytes());
        fallbackBlocks.inc(s.fallbackBlocks());
        indexReads.inc(s.indexReads());
        dataReads.inc(s.dataReads());
        retries.inc(s.retries());
    }
}
