package org.apache.spark.shuffle.efa.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import org.apache.spark.shuffle.efa.memory.ReceivePool;
import org.apache.spark.shuffle.efa.registry.RegistryCodec;
import org.apache.spark.shuffle.efa.registry.RegistryMessage;
import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;
import org.apache.spark.shuffle.efa.registry.ShuffleSegmentRegistry;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Both metrics sources publish every counter under the name {@link ShuffleCounter} gives it. */
class CounterMetricsTest {
    @Test
    void anExecutorPublishesWhatItsTasksCountByTheCounterSName() {
        try (Arena arena = Arena.ofConfined()) {
            ExecutorShuffleSource source = new ExecutorShuffleSource(() -> 0, () -> 0, () -> 0,
                    new ReceivePool(arena.allocate(1024), 1024), () -> 0, () -> 0, () -> 0, () -> 0, () -> 0);
            ShuffleCounts.Tally task = new ShuffleCounts.Tally();
            task.add(ShuffleCounter.FABRIC_BYTES, 4096);
            task.increment(ShuffleCounter.RETRIES);
            source.add(task.snapshot());
            source.add(task.snapshot());
            for (ShuffleCounter c : ShuffleCounter.values()) {
                Counter counter = source.metricRegistry().getCounters().get(c.metric);
                if (!c.countedByTasks) {
                    assertEquals(null, counter, c.metric + " is the driver's alone");
                    continue;
                }
                long expected = c == ShuffleCounter.FABRIC_BYTES ? 8192 : c == ShuffleCounter.RETRIES ? 2 : 0;
                assertEquals(expected, counter.getCount(), c.metric);
            }
        }
    }

    @Test
    void theDriverPublishesEveryCounterSummed() {
        ShuffleSegmentRegistry registry = new ShuffleSegmentRegistry(null);
        RegistrySource source = new RegistrySource(registry);
        byte[] report = RegistryCodec.encode(new RegistryMessage.ReportStats(
                ShuffleCounts.of(ShuffleCounter.INDEX_READS, 3)));
        registry.receive().apply(report);
        registry.receive().apply(report);
        for (ShuffleCounter c : ShuffleCounter.values()) {
            Gauge<?> gauge = source.metricRegistry().getGauges().get(c.metric);
            assertFalse(gauge == null, c.metric);
            assertEquals(c == ShuffleCounter.INDEX_READS ? 6L : 0L, gauge.getValue(), c.metric);
        }
    }
}
