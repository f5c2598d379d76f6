package org.apache.spark.shuffle.efa.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.apache.spark.metrics.source.Source;

import java.util.function.LongSupplier;

/** A Spark metrics source with its own registry and long-valued gauges read on demand. */
abstract class GaugeSource implements Source {
    protected final MetricRegistry registry = new MetricRegistry();
    private final String name;

    GaugeSource(String name) {
        this.name = name;
    }

    protected final void gauge(String metric, LongSupplier value) {
        registry.register(metric, (Gauge<Long>) value::getAsLong);
    }

    @Override
    public final String sourceName() {
        return name;
    }

    @Override
    public final MetricRegistry metricRegistry() {
        return registry;
    }
}
