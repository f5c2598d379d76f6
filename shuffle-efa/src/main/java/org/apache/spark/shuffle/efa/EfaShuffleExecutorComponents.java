package org.apache.spark.shuffle.efa;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.shuffle.api.ShuffleExecutorComponents;
import org.apache.spark.shuffle.api.ShuffleMapOutputWriter;
import org.apache.spark.shuffle.api.SingleSpillShuffleMapOutputWriter;
import org.apache.spark.shuffle.efa.writer.EfaShuffleMapOutputWriter;
import org.apache.spark.shuffle.efa.writer.StagedOutputs;
import org.apache.spark.shuffle.sort.io.LocalDiskShuffleExecutorComponents;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Executor side of {@link EfaShuffleDataIO}: map output writers that stage into registered memory
 * when this executor has a started fabric and budget, and Spark's local-disk writers otherwise
 * (also while the fabric is still starting: see {@link ExecutorShuffleRuntime#stagedForMapTask()}).
 */
public final class EfaShuffleExecutorComponents implements ShuffleExecutorComponents {
    private final LocalDiskShuffleExecutorComponents files;
    private ExecutorShuffleRuntime runtime;

    public EfaShuffleExecutorComponents(SparkConf conf) {
        this.files = new LocalDiskShuffleExecutorComponents(conf);
    }

    @Override
    public void initializeExecutor(String appId, String execId, Map<String, String> extraConfigs) {
        files.initializeExecutor(appId, execId, extraConfigs);
        if (SparkEnv.get().shuffleManager() instanceof EfaShuffleManager m) {
            runtime = m.runtime();
        }
    }

    /** Null where this map task writes files (no fabric, no budget, or the fabric still starting). */
    private StagedOutputs staged() {
        return runtime == null ? null : runtime.stagedForMapTask();
    }

    @Override
    public ShuffleMapOutputWriter createMapOutputWriter(int shuffleId, long mapTaskId, int numPartitions)
            throws IOException {
        StagedOutputs staged = staged();
        TaskContext task = TaskContext.get();
        if (staged == null || task == null) {
            return files.createMapOutputWriter(shuffleId, mapTaskId, numPartitions);
        }
        // A shuffle map task's partition id is its map index, the registry's key.
        return new EfaShuffleMapOutputWriter(shuffleId, task.partitionId(), mapTaskId, numPartitions, staged,
                runtime.conf().writerReserve(),
                () -> files.createMapOutputWriter(shuffleId, mapTaskId, numPartitions), runtime::publish);
    }

    @Override
    public Optional<SingleSpillShuffleMapOutputWriter> createSingleFileMapOutputWriter(int shuffleId, long mapId)
            throws IOException {
        // A spill file handed over whole can only become a file; staged outputs take the stream path.
        return staged() == null ? files.createSingleFileMapOutputWriter(shuffleId, mapId) : Optional.empty();
    }
}
