package org.apache.spark.shuffle.efa;

import org.apache.spark.SparkEnv;
import org.apache.spark.shuffle.api.ShuffleDriverComponents;
import org.apache.spark.shuffle.efa.metrics.RegistrySource;
import org.apache.spark.shuffle.efa.config.EfaShuffleConf;
import org.apache.spark.shuffle.efa.registry.ShuffleSegmentRegistry;
import org.apache.spark.shuffle.sort.io.LocalDiskShuffleDriverComponents;

import java.util.Map;

/**
 * Driver side of {@link EfaShuffleDataIO}: starts the segment registry endpoint in Spark's RpcEnv
 * with the application, drops a shuffle's entries when Spark removes the shuffle, and stops with
 * the application. File-backed outputs are cleaned by Spark's local-disk components as usual.
 */
public final class EfaShuffleDriverComponents implements ShuffleDriverComponents {
    private static volatile ShuffleSegmentRegistry active;

    private final LocalDiskShuffleDriverComponents files = new LocalDiskShuffleDriverComponents();
    private ShuffleSegmentRegistry registry;
    private RegistrySource metrics;

    /** The registry of the running application in this JVM (tests and benchmarks read its stats). */
    public static ShuffleSegmentRegistry activeRegistry() {
        return active;
    }

    @Override
    public Map<String, String> initializeApplication() {
        SparkEnv env = SparkEnv.get();
        registry = new ShuffleSegmentRegistry(env.rpcEnv(), EfaShuffleConf.from(env.conf()).peersInsertedAhead());
        env.rpcEnv().setupEndpoint(ShuffleSegmentRegistry.ENDPOINT_NAME, registry);
        metrics = new RegistrySource(registry);
        env.metricsSystem().registerSource(metrics);
        active = registry;
        return files.initializeApplication();
    }

    @Override
    public void cleanupApplication() {
        if (registry != null) {
            registry.clear();
            try {
                SparkEnv env = SparkEnv.get();
                if (env != null) {
                    env.metricsSystem().removeSource(metrics);
                    env.rpcEnv().stop(registry.self());
                }
            } catch (RuntimeException ignored) {
                // the RpcEnv is already shutting down
            }
        }
        files.cleanupApplication();
    }

    @Override
    public void removeShuffle(int shuffleId, boolean blocking) {
        if (registry != null) {
            registry.removeShuffle(shuffleId);
        }
        files.removeShuffle(shuffleId, blocking);
    }
}
