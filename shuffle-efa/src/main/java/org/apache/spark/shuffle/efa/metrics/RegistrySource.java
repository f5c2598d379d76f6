package org.apache.spark.shuffle.efa.metrics;

import org.apache.spark.shuffle.efa.registry.ReadStats;
import org.apache.spark.shuffle.efa.registry.ShuffleSegmentRegistry;

import java.util.function.ToLongFunction;

/**
 * The driver's view in Spark's metrics system (source {@value #NAME}): registry entries (which
 * must return to zero when shuffles are cleaned) and the executors' read counters summed.
 */
public final class RegistrySource extends GaugeSource {
    public static final String NAME = "efaShuffleRegistry";

    public RegistrySource(ShuffleSegmentRegistry segments) {
        super(NAME);
        gauge("executorSegments", segments::segmentCount);
        gauge("shuffles", segments::shuffleCount);
        gauge("mapOutputs", segments::mapOutputCount);
        gauge("stagedBytes", segments::stagedBytes);
        stat(segments, "read.fabricBytes", ReadStats::fabricBytes);
        stat(segments, "read.fabricBlocks", ReadStats::fabricBlocks);
        stat(segments, "read.localStagedBytes", ReadStats::localStagedBytes);
        stat(segments, "read.fallbackBlocks", ReadStats::fallbackBlocks);
        stat(segments, "read.indexReads", ReadStats::indexReads);
        stat(segments, "read.dataReads", ReadStats::dataReads);
        stat(segments, "read.retries", ReadStats::retries);
        stat(segments, "write.stagedMapOutputs", ReadStats::stagedMapOutputs);
    }

    private void stat(ShuffleSegmentRegistry segments, String name, ToLongFunction<ReadStats> field) {
        gauge(name, () -> field.applyAsLong(segments.statsSoFar()));
    }
}
