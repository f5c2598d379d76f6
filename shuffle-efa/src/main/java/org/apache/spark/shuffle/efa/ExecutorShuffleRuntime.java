package org.apache.spark.shuffle.efa;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.shuffle.efa.fabric.ExecutorFabric;
import org.apache.spark.shuffle.efa.metrics.ExecutorShuffleSource;
import org.apache.spark.shuffle.efa.registry.DriverRegistryClient;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.registry.ReadStats;
import org.apache.spark.shuffle.efa.writer.ShuffleArena;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.shuffle.efa.writer.StagedOutputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one executor (or a local-mode driver) holds for the plugin: the fabric, the staged map
 * outputs, the registry client and the per-shuffle location cache. It starts on first use; if the
 * fabric cannot start here, it says why once and this executor uses Spark's built-in path, unless
 * {@code spark.shuffle.efa.required=true}.
 */
public final class ExecutorShuffleRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorShuffleRuntime.class);

    private final SparkConf sparkConf;
    private final EfaShuffleConf conf;
    private final Map<Integer, Map<Integer, MapOutputLocation>> locations = new ConcurrentHashMap<>();
    private boolean started;
    private boolean closed;
    private String executorId;
    private ExecutorFabric fabric;
    private StagedOutputs staged;
    private DriverRegistryClient registry;
    private ExecutorShuffleSource metrics;

    public ExecutorShuffleRuntime(SparkConf sparkConf, EfaShuffleConf conf) {
        this.sparkConf = sparkConf;
        this.conf = conf;
    }

    public EfaShuffleConf conf() {
        return conf;
    }

    /** Starts the fabric once, on the first task that needs it. */
    public synchronized void ensureStarted() {
        if (started || closed) {
            return;
        }
        started = true;
        SparkEnv env = SparkEnv.get();
        executorId = env.executorId();
        String segment = "efa-shuffle/" + sparkConf.getAppId() + "/" + executorId;
        try {
            registry = DriverRegistryClient.connect(sparkConf, env.rpcEnv(), executorId);
        } catch (RuntimeException e) {
            fail("the driver has no EFA shuffle registry (set spark.shuffle.sort.io.plugin.class="
                    + EfaShuffleDataIO.class.getName() + "): " + e.getMessage(), e);
            return;
        }
        try {
            fabric = ExecutorFabric.start(conf, segment, registry);
        } catch (RuntimeException | LinkageError e) {
            fail(e.getMessage(), e);
            return;
        }
        boolean externalService = sparkConf.getBoolean("spark.shuffle.service.enabled", false);
        if (fabric.shuffleMemory() != null && !externalService) {
            staged = new StagedOutputs(new ShuffleArena(fabric.shuffleMemory().memory()));
        }
        StagedOutputs outputs = staged;
        ExecutorFabric f = fabric;
        metrics = new ExecutorShuffleSource(f::registeredBytes,
                () -> outputs == null ? 0 : outputs.arena().usedBytes(), () -> outputs == null ? 0 : outputs.count(),
                f.receivePool());
        env.metricsSystem().registerSource(metrics);
        LOG.info("EFA shuffle on executor {}: {}; registered {} MiB (map outputs {} MiB{}, receive pool {} x {} KiB)",
                executorId, fabric.describe(), fabric.registeredBytes() >> 20,
                staged == null ? 0 : conf.bufferBudget() >> 20,
                externalService ? ", off: external shuffle service serves files only" : "",
                fabric.receivePool().total(), conf.receiveBufferSize() >> 10);
    }

    private void fail(String why, Throwable cause) {
        if (conf.required()) {
            throw new IllegalStateException("EFA shuffle is required (spark.shuffle.efa.required=true) but cannot "
                    + "start on executor " + executorId + ": " + why, cause);
        }
        if (!conf.fallback()) {
            throw new IllegalStateException("EFA shuffle cannot start on executor " + executorId + " and "
                    + "spark.shuffle.efa.fallback.enabled=false: " + why, cause);
        }
        LOG.warn("EFA shuffle unavailable on executor {}: {}. This executor writes and reads shuffle data through "
                + "Spark's built-in path. Run `java -jar shuffle-efa-<version>.jar doctor` on this node.", executorId, why);
    }

    public synchronized boolean fabricReady() {
        ensureStarted();
        return fabric != null;
    }

    public synchronized ExecutorFabric fabric() {
        ensureStarted();
        return fabric;
    }

    /** The staged map outputs, or null when map outputs go to files on this executor. */
    public synchronized StagedOutputs staged() {
        ensureStarted();
        return staged;
    }

    /** Staged outputs if started, without starting (the block resolver must not start the fabric). */
    public synchronized StagedOutputs stagedIfStarted() {
        return staged;
    }

    public String executorId() {
        return executorId;
    }

    /** Publishes a committed map output to the driver; the map task succeeds only after this. */
    public void publish(StagedMapOutput out) {
        var memory = fabric.shuffleMemory().memory();
        registry.publishMapOutput(new MapOutputLocation(out.shuffleId(), out.mapIndex(), out.mapId(), executorId,
                fabric.segmentName(), out.dataAddress(memory), out.dataLength(), out.indexAddress(memory),
                out.numPartitions(), out.checksumAddress(memory)));
    }

    /** Map index to location for a shuffle, cached; {@code refresh} asks the driver again. */
    public Map<Integer, MapOutputLocation> locations(int shuffleId, boolean refresh) {
        if (!refresh) {
            Map<Integer, MapOutputLocation> cached = locations.get(shuffleId);
            if (cached != null) {
                return cached;
            }
        }
        List<MapOutputLocation> list = registry.lookupShuffle(shuffleId);
        Map<Integer, MapOutputLocation> byIndex = new HashMap<>(list.size() * 2);
        for (MapOutputLocation l : list) {
            byIndex.put(l.mapIndex(), l);
        }
        locations.put(shuffleId, byIndex);
        return byIndex;
    }

    public void reportStats(ReadStats stats) {
        ExecutorShuffleSource m = metrics;
        if (m != null) {
            m.add(stats);
        }
        if (registry != null && !stats.equals(ReadStats.ZERO)) {
            try {
                registry.reportStats(stats);
            } catch (RuntimeException e) {
                LOG.debug("could not report EFA shuffle stats", e);
            }
        }
    }

    public synchronized void removeShuffle(int shuffleId) {
        locations.remove(shuffleId);
        if (staged != null) {
            staged.removeShuffle(shuffleId);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (metrics != null) {
            SparkEnv env = SparkEnv.get();
            if (env != null) {
                env.metricsSystem().removeSource(metrics);
            }
            metrics = null;
        }
        if (fabric != null) {
            try {
                fabric.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the EFA shuffle fabric failed", e);
            }
            fabric = null;
        }
        staged = null;
    }
}
