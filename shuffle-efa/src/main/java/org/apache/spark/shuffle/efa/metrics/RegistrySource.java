package org.apache.spark.shuffle.efa.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.apache.spark.metrics.source.Source;
import org.apache.spark.shuffle.efa.registry.ReadStats;
import org.apache.spark.shuffle.efa.registry.ShuffleSegmentRegistry;

import java.util.function.ToLongFunction;

/**
 * The driver's view in Spark's metrics system (source {@value #NAME}): registry entries (which
 * must return to zero when shuffles are cleaned) and the executors' read counters summed.
 */
public final class RegistrySource implements Source {
    public static final String NAME = "efaShuffleRegistry";

    private final MetricRegistry registry = new MetricRegistry();

    public RegistrySource(ShuffleSegmentRegistry segments) {
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

    private void gauge(String name, java.util.function.LongSupplier value) {
        registry.register(name, (Gauge<Long>) value::getAsLong);
    }

    private void stat(ShuffleSegmentRegistry segments, String name, ToLongFunction<ReadStats> field) {
        gauge(name, () -> field.applyAsLong(segments.stats()));
    }

    @Override
    public String sourceName() {
        return NAME;
    }

    @Override
    public MetricRegistry metricRegistry() {
        return registry;
    }
}
