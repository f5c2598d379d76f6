package org.apache.spark.shuffle.efa.metrics;

import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleSegmentRegistry;

/**
 * The driver's view in Spark's metrics system (source {@value #NAME}): registry entries (which
 * must return to zero when shuffles are cleaned) and every {@link ShuffleCounter} summed over executors.
 */
public final class RegistrySource extends GaugeSource {
    public static final String NAME = "efaShuffleRegistry";

    public RegistrySource(ShuffleSegmentRegistry segments) {
        super(NAME);
        gauge("executorSegments", segments::segmentCount);
        gauge("shuffles", segments::shuffleCount);
        gauge("mapOutputs", segments::mapOutputCount);
        gauge("stagedBytes", segments::stagedBytes);
        for (ShuffleCounter c : ShuffleCounter.values()) {
            gauge(c.metric, () -> segments.statsSoFar().get(c));
        }
    }
}
