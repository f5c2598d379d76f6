package org.apache.spark.shuffle.efa;

import io.efashuffle.transfer.transport.ProviderSelection;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.shuffle.efa.config.EfaShuffleConf;
import org.apache.spark.shuffle.efa.memory.ExecutorFabric;
import org.apache.spark.shuffle.efa.metrics.ExecutorShuffleSource;
import org.apache.spark.shuffle.efa.reader.MapOutputIndexes;
import org.apache.spark.shuffle.efa.reader.PeerProbes;
import org.apache.spark.shuffle.efa.reader.ReaderRuntime;
import org.apache.spark.shuffle.efa.registry.DriverRegistryClient;
import org.apache.spark.shuffle.efa.registry.PeerSync;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;
import org.apache.spark.shuffle.efa.registry.ShuffleLocationCache;
import org.apache.spark.shuffle.efa.sparkapi.SparkInternalApi;
import org.apache.spark.shuffle.efa.writer.ShuffleArena;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.shuffle.efa.writer.StagedOutputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What one executor (or a local-mode driver) holds for the plugin: the fabric, the staged map
 * outputs, the registry client and the per-shuffle location cache. An executor starts it as it
 * comes up ({@link #startInBackground()}); otherwise it starts on first use. If the
 * fabric cannot start, every task that needs it finds out: with {@code spark.shuffle.efa.required}
 * or {@code fallback.enabled=false} it fails naming the setting, otherwise it uses Spark's built-in
 * path. When it starts, retries, falls back and retires is {@link FabricLifecycle}'s; this class
 * is the facade readers, writers and the block resolver use.
 *
 * <p>The start runs outside the lifecycle's lock, so Netty threads serving blocks
 * ({@link #stagedIfStarted()}) never wait for it; tasks arriving during a start use the built-in
 * path meanwhile.
 */
public final class ExecutorShuffleRuntime implements ReaderRuntime, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorShuffleRuntime.class);
    /** How long an early start waits for Spark to finish the executor's environment. */
    private static final Duration ENVIRONMENT_WAIT = Duration.ofSeconds(60);
    /** How long stopping waits for Netty to let go of staged blocks it is still sending. */
    private static final Duration SERVED_BLOCKS_WAIT = Duration.ofSeconds(2);

    /** What a successful start made; published once, read without a lock. */
    private record Live(ExecutorFabric fabric, StagedOutputs staged, ExecutorShuffleSource metrics, PeerSync peers) {
    }

    private final SparkConf sparkConf;
    private final EfaShuffleConf conf;
    private final Map<Integer, ShuffleLocationCache> locations = new ConcurrentHashMap<>();
    private final MapOutputIndexes indexes = new MapOutputIndexes();
    private final PeerProbes peerProbes = PeerProbes.forExecutor(this::stillPublished);
    private final FabricLifecycle<Live> lifecycle;
    private volatile String executorId;
    private volatile DriverRegistryClient registry;

    public ExecutorShuffleRuntime(SparkConf sparkConf, EfaShuffleConf conf) {
        this(sparkConf, conf, StartRetryPolicy.standard());
    }

    ExecutorShuffleRuntime(SparkConf sparkConf, EfaShuffleConf conf, StartRetryPolicy retry) {
        this.sparkConf = sparkConf;
        this.conf = conf;
        this.lifecycle = new FabricLifecycle<>(new Starter(), retry, refusal(conf), () -> executorId);
        if (conf.oldFetchProtocol()) {
            lifecycle.disable();
        }
    }

    /** How a task that needs the fabric fails where the settings forbid the built-in path; null where they allow it. */
    private static Function<String, String> refusal(EfaShuffleConf conf) {
        if (conf.required()) {
            return id -> "EFA shuffle is required (spark.shuffle.efa.required=true) but cannot start on executor " + id;
        }
        if (!conf.fallback()) {
            return id -> "EFA shuffle cannot start on executor " + id + " and spark.shuffle.efa.fallback.enabled=false";
        }
        return null;
    }

    @Override
    public EfaShuffleConf conf() {
        return conf;
    }

    /** Starts, retires and stops this executor's fabric as its {@link FabricLifecycle} asks. */
    private final class Starter implements FabricLifecycle.Starter<Live> {
        @Override
        public Live start() {
            SparkEnv env = SparkEnv.get();
            executorId = env.executorId();
            if (registry == null) {
                try {
                    registry = DriverRegistryClient.connect(sparkConf, env.rpcEnv(), executorId);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the driver has no EFA shuffle registry (set "
                            + "spark.shuffle.sort.io.plugin.class=" + EfaShuffleDataIO.class.getName() + "): "
                            + e.getMessage(), e);
                }
            }
            return startFabric(env);
        }

        @Override
        public Throwable failure(Live started) {
            return started.fabric().failure();
        }

        @Override
        public void onFailure(Live started, Runnable retire) {
            // Withdraw at once, not at this executor's next task: readers elsewhere wait on it.
            started.fabric().onFailure(t -> retire.run());
        }

        /**
         * The fabric failed under a running executor (a progress thread died): from now on this
         * executor writes map outputs to files and reads through Spark's fetcher, and its segment and
         * map outputs are withdrawn from the driver's registry, so other executors read what it staged
         * through Netty (its resolver still serves them from memory).
         */
        @Override
        public void withdraw(Live failed, String why, Throwable cause) {
            if (failed.peers() != null) {
                failed.peers().close();
            }
            LOG.error("EFA shuffle on executor {}: {}. Its staged map outputs are served through Spark's block "
                    + "transfer from now on, and new ones go to files.", executorId, why, cause);
            try {
                registry.remove(failed.fabric().segmentName());
            } catch (RuntimeException e) {
                LOG.warn("could not withdraw executor {}'s segment from the driver registry", executorId, e);
            }
            locations.clear();
        }

        @Override
        public void stop(Live started) {
            ExecutorShuffleRuntime.stop(started);
        }
    }

    private Live startFabric(SparkEnv env) {
        String segment = "efa-shuffle/" + sparkConf.getAppId() + "/" + executorId;
        // The external shuffle service serves files only, so map outputs must go there.
        boolean externalService = sparkConf.getBoolean("spark.shuffle.service.enabled", false);
        SupportMatrix.refusalHere().ifPresent(why -> {
            throw new IllegalStateException(why); // permanent: the versions will not change
        });
        String provider = ProviderSelection.resolve(conf.transport().provider());
        conf.security().refusal(provider).ifPresent(why -> {
            throw new IllegalStateException(why); // permanent: the settings will not change
        });
        ExecutorFabric fabric = ExecutorFabric.start(conf, segment, registry, !externalService);
        StagedOutputs staged = fabric.shuffleMemory() != null
                ? new StagedOutputs(new ShuffleArena(fabric.shuffleMemory().memory(), fabric::shuffleMemoryUsedUpTo)) : null;
        ExecutorShuffleSource metrics = new ExecutorShuffleSource(fabric::registeredBytes,
                () -> staged == null ? 0 : staged.arena().usedBytes(), () -> staged == null ? 0 : staged.count(),
                fabric.receivePool(), fabric::knownPeers, fabric::openPeerSegments, fabric::peerAddresses,
                fabric::addressesAwaitingRelease,
                fabric::progressCpuNanos);
        try {
            env.metricsSystem().registerSource(metrics);
        } catch (RuntimeException e) {
            fabric.close();
            throw e;
        }
        // Where targets must know their initiators (efa-direct), peers are inserted as they join.
        PeerSync peers = conf.peersInsertedAhead() ? new PeerSync(fabric.engine(), registry::syncPeers,
                conf.peerSyncInterval()).start() : null;
        LOG.info("EFA shuffle on executor {}: {}; registered {} MiB (map outputs {} MiB{}, receive pool {} x {} KiB){}; {}",
                executorId, fabric.describe(), fabric.registeredBytes() >> 20,
                staged == null ? 0 : conf.bufferBudget() >> 20,
                externalService ? ", off: external shuffle service serves files only" : "",
                fabric.receivePool().total(), conf.receiveBufferSize() >> 10,
                peers == null ? "" : "; peers inserted ahead (synced every " + conf.peerSyncInterval().toMillis() + " ms)",
                fabric.startTimes());
        return new Live(fabric, staged, metrics, peers);
    }

    /**
     * Starts the fabric on a thread of its own while the executor comes up, so that its first
     * shuffle tasks (and, after an executor is lost, the map tasks recomputed on its replacement)
     * do not wait for memory to be mapped and registered and endpoints to open. Spark creates the
     * shuffle manager while it builds the executor's environment, so the thread waits for that
     * environment; a local-mode driver starts on first use instead. The outcome is what a task
     * would have met: tasks arriving meanwhile use Spark's built-in path ({@link FabricLifecycle#startedOrBuiltin()}),
     * a failure is logged and retried as usual.
     */
    public void startInBackground() {
        lifecycle.launchStartComing();
        Thread.ofPlatform().daemon().name("efa-shuffle-start").start(() -> {
            try {
                startAtLaunch();
            } finally {
                lifecycle.launchStartEnded();
            }
        });
    }

    private void startAtLaunch() {
        long deadline = System.nanoTime() + ENVIRONMENT_WAIT.toNanos();
        while (SparkEnv.get() == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
        SparkEnv env = SparkEnv.get();
        if (env == null || SparkInternalApi.isDriver(env.executorId())) {
            return;
        }
        try {
            lifecycle.ensureStarted();
        } catch (RuntimeException e) {
            LOG.debug("EFA shuffle: start at executor launch failed; tasks report it", e); // logged by start
        }
    }

    /** Whether this task can use the fabric: started, or starting it if none is running ({@link FabricLifecycle#startedOrBuiltin()}). */
    @Override
    public boolean fabricReady() {
        return lifecycle.startedOrBuiltin() != null;
    }

    @Override
    public ExecutorFabric fabric() {
        Live l = lifecycle.ensureStarted();
        return l == null ? null : l.fabric();
    }

    /** The staged map outputs, or null when map outputs go to files on this executor. */
    @Override
    public StagedOutputs staged() {
        Live l = lifecycle.ensureStarted();
        return l == null ? null : l.staged();
    }

    /** The staged map outputs for a map task, or null where it writes files ({@link FabricLifecycle#startedOrBuiltin()}). */
    public StagedOutputs stagedForMapTask() {
        Live l = lifecycle.startedOrBuiltin();
        return l == null ? null : l.staged();
    }

    /**
     * Whether this executor's start has no outcome yet: launched at executor start and not ended, or
     * running. Suites that count staged outputs wait for every executor's start to end first.
     */
    public boolean startPending() {
        return lifecycle.startPending();
    }

    /**
     * Staged outputs if started, without starting or waiting (the block resolver must not); also
     * those of a fabric that failed later, which are still served through Spark's paths.
     */
    public StagedOutputs stagedIfStarted() {
        Live l = lifecycle.current();
        return l == null ? null : l.staged();
    }

    @Override
    public String executorId() {
        return executorId;
    }

    /**
     * Sends a committed map output's location to the driver one-way, ahead of the task's status
     * update. Not when the fabric failed meanwhile: readers then find no entry and fetch the output through
     * Spark's block transfer, which this executor's resolver serves from memory.
     */
    public void publish(StagedMapOutput out) {
        Live l = lifecycle.live();
        if (l == null || l.fabric().failure() != null) {
            return;
        }
        ExecutorFabric fabric = l.fabric();
        var memory = fabric.shuffleMemory().memory();
        registry.publishMapOutput(new MapOutputLocation(out.shuffleId(), out.mapIndex(), out.mapId(), executorId,
                fabric.segmentName(), out.dataAddress(memory), out.dataLength(), out.indexAddress(memory),
                out.numPartitions(), out.checksumAddress(memory)));
    }

    @Override
    public PeerProbes peerProbes() {
        return peerProbes;
    }

    /**
     * Whether the driver still lists {@code location}'s segment: a segment whose executor's fabric
     * failed is withdrawn, and its outputs are then read through Spark's block transfer. When the
     * driver cannot be asked, the answer is yes (the read goes on as it would). Asked by
     * {@link PeerProbes} only, at most once per interval and serving executor.
     */
    private boolean stillPublished(MapOutputLocation location) {
        DriverRegistryClient registry = this.registry;
        try {
            return registry == null || registry.lookup(location.segmentName()).isPresent();
        } catch (RuntimeException e) {
            LOG.debug("could not ask the driver about segment {}", location.segmentName(), e);
            return true;
        }
    }

    /**
     * The staged location of each wanted map output of a shuffle (map index to map id) that has one
     * for that attempt. Asks the driver only about map outputs this executor has no answer for yet
     * (first use, or a new attempt), and only for those entries.
     */
    @Override
    public Map<Integer, MapOutputLocation> stagedLocations(int shuffleId, Map<Integer, Long> wanted) {
        return locations.computeIfAbsent(shuffleId, k -> new ShuffleLocationCache())
                .staged(wanted, mapIndexes -> registry.lookupMapOutputs(shuffleId, mapIndexes));
    }

    /** Remote map outputs' indexes, shared by this executor's reduce tasks. */
    @Override
    public MapOutputIndexes indexes() {
        return indexes;
    }

    /**
     * Adds a task's counters to this executor's metrics and sends them to the driver without
     * waiting (a one-way message; see {@link DriverRegistryClient#reportStats}). Called at the end
     * of each task that read: one send per task, nothing pending, so nothing to flush at close,
     * and the driver's totals are exact once Spark counts the task as finished.
     */
    @Override
    public void reportStats(ShuffleCounts stats) {
        Live l = lifecycle.current();
        if (l != null) {
            l.metrics().add(stats);
        }
        DriverRegistryClient registry = this.registry;
        if (registry != null && !stats.isZero()) {
            try {
                registry.reportStats(stats);
            } catch (RuntimeException e) {
                LOG.debug("could not report EFA shuffle stats", e);
            }
        }
    }

    public void removeShuffle(int shuffleId) {
        locations.remove(shuffleId);
        indexes.removeShuffle(shuffleId);
        StagedOutputs staged = stagedIfStarted();
        if (staged != null) {
            staged.removeShuffle(shuffleId);
        }
    }

    @Override
    public void close() {
        lifecycle.close();
    }

    private static void stop(Live l) {
        if (l.peers() != null) {
            l.peers().close();
        }
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            env.metricsSystem().removeSource(l.metrics());
        }
        try {
            l.fabric().close(servedBlocksLetGo(l.staged()));
        } catch (RuntimeException e) {
            LOG.warn("closing the EFA shuffle fabric failed", e);
        }
    }

    /**
     * Spark stops the shuffle manager before its block transfer service, so Netty may still be
     * sending staged blocks: their memory is unmapped only once they are let go, or never (the
     * process is ending) if that takes longer than {@link #SERVED_BLOCKS_WAIT}.
     */
    private static boolean servedBlocksLetGo(StagedOutputs staged) {
        if (staged == null) {
            return true;
        }
        try {
            if (staged.awaitServed(SERVED_BLOCKS_WAIT)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("EFA shuffle: {} staged blocks are still being served through Spark's block transfer; their memory "
                + "stays mapped until the process exits", staged.servedBuffers());
        return false;
    }
}
