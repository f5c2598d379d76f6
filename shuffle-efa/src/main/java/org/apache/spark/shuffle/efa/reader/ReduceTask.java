package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.TaskContext;
import org.apache.spark.serializer.SerializerManager;
import org.apache.spark.shuffle.ShuffleReadMetricsReporter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;

/**
 * The reduce task a reader serves: its context (kill check), its serializers (decompression), its
 * read metrics, the plugin's counters of its reads, and the reader's settings.
 */
record ReduceTask(TaskContext context, SerializerManager serializers, ShuffleReadMetricsReporter metrics,
                  ShuffleCounts.Tally counters, ReaderSettings settings) {}
