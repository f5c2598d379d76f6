package org.apache.spark.shuffle.efa;

import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.shuffle.BaseShuffleHandle;
import org.apache.spark.shuffle.ShuffleBlockResolver;
import org.apache.spark.shuffle.ShuffleHandle;
import org.apache.spark.shuffle.ShuffleManager;
import org.apache.spark.shuffle.ShuffleReadMetricsReporter;
import org.apache.spark.shuffle.ShuffleReader;
import org.apache.spark.shuffle.ShuffleWriteMetricsReporter;
import org.apache.spark.shuffle.ShuffleWriter;
import org.apache.spark.shuffle.efa.config.EfaShuffleConf;
import org.apache.spark.shuffle.efa.reader.EfaShuffleReader;
import org.apache.spark.shuffle.sort.SortShuffleManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code spark.shuffle.manager=org.apache.spark.shuffle.efa.EfaShuffleManager}.
 *
 * <p>Map side: Spark's sort-shuffle writers, whose map output goes through the configured
 * {@code ShuffleDataIO} ({@link EfaShuffleDataIO}: into registered memory). Read side:
 * {@link EfaShuffleReader}, one-sided fabric reads for staged blocks and Spark's fetcher for the
 * rest. Settings are validated here, when the SparkContext or executor starts.
 *
 * <p>It is a {@link SortShuffleManager} by type, and every method goes to its own delegate
 * ({@code sort}) or to the plugin: Spark SQL copies every row before a shuffle unless the shuffle
 * manager is a {@code SortShuffleManager} ({@code ShuffleExchangeExec.needToCopyObjectsBeforeShuffle}),
 * because another manager's writers might buffer the rows. The writers here are Spark's sort-shuffle
 * writers, chosen as Spark chooses them, so the copy would only cost time and garbage.
 */
public final class EfaShuffleManager extends SortShuffleManager {
    private static final Logger LOG = LoggerFactory.getLogger(EfaShuffleManager.class);

    private final SortShuffleManager sort;
    private final ExecutorShuffleRuntime runtime;
    private final EfaShuffleBlockResolver resolver;

    public EfaShuffleManager(SparkConf conf) {
        super(conf); // state of its own that nothing uses: only the type matters (see above)
        EfaShuffleConf efa = EfaShuffleConf.from(conf);
        this.sort = new SortShuffleManager(conf);
        this.runtime = new ExecutorShuffleRuntime(conf, efa);
        this.resolver = new EfaShuffleBlockResolver(conf, sort.shuffleBlockResolver(), runtime);
        String io = conf.get("spark.shuffle.sort.io.plugin.class", "");
        Optional<String> unsupported = SupportMatrix.refusalHere();
        if (unsupported.isPresent() && "driver".equals(conf.get("spark.executor.id", ""))) {
            LOG.warn("EFA shuffle is off for this application: {} Executors use Spark's built-in shuffle{}.",
                    unsupported.get(), efa.required() ? " (required=true: their shuffle tasks fail)" : "");
        }
        if (efa.oldFetchProtocol()) {
            LOG.warn("{}=true: the EFA shuffle is off for this application (the old protocol names map outputs by "
                    + "map index, so attempts cannot be told apart); every map output goes to Spark's files and every "
                    + "block through the built-in path. Set it to false unless a Spark 2.x external shuffle service "
                    + "needs it.", EfaShuffleConf.OLD_FETCH_PROTOCOL);
        } else if (!io.equals(EfaShuffleDataIO.class.getName())) {
            LOG.warn("spark.shuffle.sort.io.plugin.class is '{}', not {}: map outputs go to Spark's files and every "
                    + "block is fetched through the built-in path", io, EfaShuffleDataIO.class.getName());
        } else if (efa.startEagerly()) {
            runtime.startInBackground();
        }
    }

    /** This process's runtime (executor components and tests reach it through SparkEnv). */
    public ExecutorShuffleRuntime runtime() {
        return runtime;
    }

    @Override
    public <K, V, C> ShuffleHandle registerShuffle(int shuffleId, ShuffleDependency<K, V, C> dependency) {
        return sort.registerShuffle(shuffleId, dependency);
    }

    @Override
    public <K, V> ShuffleWriter<K, V> getWriter(ShuffleHandle handle, long mapId, TaskContext context,
                                                ShuffleWriteMetricsReporter metrics) {
        return sort.getWriter(handle, mapId, context, metrics);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, C> ShuffleReader<K, C> getReader(ShuffleHandle handle, int startMapIndex, int endMapIndex,
                                                int startPartition, int endPartition, TaskContext context,
                                                ShuffleReadMetricsReporter metrics) {
        return new EfaShuffleReader<>((BaseShuffleHandle<K, ?, C>) handle, startMapIndex, endMapIndex, startPartition,
                endPartition, context, metrics, runtime);
    }

    @Override
    public boolean unregisterShuffle(int shuffleId) {
        runtime.removeShuffle(shuffleId);
        return sort.unregisterShuffle(shuffleId);
    }

    @Override
    public EfaShuffleBlockResolver shuffleBlockResolver() {
        return resolver;
    }

    @Override
    public void stop() {
        runtime.close();
        sort.stop();
    }
}
