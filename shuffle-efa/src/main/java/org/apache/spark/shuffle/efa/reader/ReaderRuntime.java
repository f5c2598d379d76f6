package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.config.EfaShuffleConf;
import org.apache.spark.shuffle.efa.memory.ExecutorFabric;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;
import org.apache.spark.shuffle.efa.writer.StagedOutputs;

import java.util.Map;

/**
 * What a reduce task needs from its executor's plugin runtime (implemented by
 * {@code ExecutorShuffleRuntime}), so the reader depends on this and not on the runtime's class.
 */
public interface ReaderRuntime {
    EfaShuffleConf conf();

    String executorId();

    /** Whether this task can use the fabric: started, or started now if no start is running (none is waited for). */
    boolean fabricReady();

    ExecutorFabric fabric();

    /** This executor's staged map outputs, or null when they go to files here. */
    StagedOutputs staged();

    /** The staged location of each wanted map output (map index to map id) that has one for that attempt. */
    Map<Integer, MapOutputLocation> stagedLocations(int shuffleId, Map<Integer, Long> wanted);

    /** What the executor knows of serving executors, asked once per interval for all its waiting reads. */
    PeerProbes peerProbes();

    /** Remote map outputs' indexes, shared by this executor's reduce tasks. */
    MapOutputIndexes indexes();

    /** Adds a finished task's counters to the executor's metrics and the driver's totals. */
    void reportStats(ShuffleCounts counts);
}
