package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.Aggregator;
import org.apache.spark.InterruptibleIterator;
import org.apache.spark.MapOutputTracker;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.serializer.SerializerManager;
import org.apache.spark.shuffle.BaseShuffleHandle;
import org.apache.spark.shuffle.ShuffleReadMetricsReporter;
import org.apache.spark.shuffle.ShuffleReader;
import org.apache.spark.shuffle.efa.sparkapi.SparkInternalApi;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.ShuffleBlockId;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.collection.ExternalSorter;
import scala.Option;
import scala.Product2;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a range of reduce partitions (and optionally of map indexes, as AQE asks). Staged blocks
 * come through the fabric (or in place when staged on this executor); every other block goes
 * through Spark's own {@link ShuffleBlockFetcherIterator} inside the same iterator. From the
 * streams on, deserialization, aggregation and sorting are Spark's own reader's.
 */
public final class EfaShuffleReader<K, C> implements ShuffleReader<K, C> {
    private final BaseShuffleHandle<K, ?, C> handle;
    private final int startMapIndex, endMapIndex, startPartition, endPartition;
    private final TaskContext context;
    private final ShuffleReadMetricsReporter metrics;
    private final ReaderRuntime runtime;

    public EfaShuffleReader(BaseShuffleHandle<K, ?, C> handle, int startMapIndex, int endMapIndex,
                            int startPartition, int endPartition, TaskContext context,
                            ShuffleReadMetricsReporter metrics, ReaderRuntime runtime) {
        this.handle = handle;
        this.startMapIndex = startMapIndex;
        this.endMapIndex = endMapIndex;
        this.startPartition = startPartition;
        this.endPartition = endPartition;
        this.context = context;
        this.metrics = metrics;
        this.runtime = runtime;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Iterator<Product2<K, C>> read() {
        SparkEnv env = SparkEnv.get();
        MapOutputTracker tracker = env.mapOutputTracker();
        int shuffleId = handle.shuffleId();
        Iterator<Tuple2<BlockManagerId, scala.collection.Seq<Tuple3<BlockId, Object, Object>>>> all =
                tracker.getMapSizesByExecutorId(shuffleId, startMapIndex, endMapIndex, startPartition, endPartition);

        List<Tuple2<BlockManagerId, scala.collection.Seq<Tuple3<BlockId, Object, Object>>>> standard = new ArrayList<>();
        Map<Long, MapRead> staged = new LinkedHashMap<>();
        ShuffleCounts.Tally counters = new ShuffleCounts.Tally();
        List<Tuple2<BlockManagerId, List<Tuple3<BlockId, Object, Object>>>> byAddress = new ArrayList<>();
        while (all.hasNext()) {
            var t = all.next();
            byAddress.add(new Tuple2<>(t._1(), new ArrayList<>(CollectionConverters.asJava(t._2()))));
        }
        boolean fabric = runtime.fabricReady(); // once per task: it takes the runtime's lock
        Map<Integer, MapOutputLocation> locations = fabric
                ? runtime.stagedLocations(shuffleId, attempts(byAddress)) : Map.of();
        for (var entry : byAddress) {
            List<Tuple3<BlockId, Object, Object>> rest = new ArrayList<>();
            for (Tuple3<BlockId, Object, Object> b : entry._2()) {
                ShuffleBlockId id = b._1() instanceof ShuffleBlockId s ? s : null;
                MapOutputLocation loc = id == null ? null : locations.get((Integer) b._3());
                // The executor must match too: a decommissioned executor's outputs migrate as files
                // to another executor (same attempt id), which the MapStatus then names.
                if (id != null && loc != null && loc.mapId() == id.mapId()
                        && loc.executorId().equals(entry._1().executorId())) {
                    MapOutputLocation found = loc;
                    staged.computeIfAbsent(id.mapId(), k -> new MapRead(found, entry._1(),
                            localOutput(found))).add(id, (Long) b._2());
                } else {
                    rest.add(b);
                }
            }
            if (!rest.isEmpty()) {
                counters.add(ShuffleCounter.FALLBACK_BLOCKS, rest.size());
                standard.add(new Tuple2<>(entry._1(), CollectionConverters.asScala(rest).toSeq()));
            }
        }
        for (MapRead m : staged.values()) {
            m.blocks.sort((a, b) -> Integer.compare(a.reduceId(), b.reduceId()));
        }

        ShuffleDependency<K, ?, C> dep = handle.dependency();
        // As Spark's reader: a map output's consecutive blocks as one stream where SQL asks for it.
        // Over the fabric only: Spark's fetcher would ask for batches of other executors' staged
        // outputs on this host, which the host-local owner fetch serves block by block.
        boolean batched = SparkInternalApi.batchFetchRequested(startPartition, endPartition, context)
                && SparkInternalApi.batchFetchSupported(dep.serializer(), env.conf());
        SerializerManager serializers = env.serializerManager();
        List<Iterator<Tuple2<BlockId, InputStream>>> sources = new ArrayList<>();
        // Spark's fetcher first: its Netty requests go out at construction and overlap our reads.
        if (!standard.isEmpty()) {
            sources.add(standardFetcher(env, tracker, standard, serializers));
        }
        if (!staged.isEmpty()) {
            WithdrawnOutputs.SparkFetcher late = blocks -> {
                List<Tuple2<BlockManagerId, scala.collection.Seq<Tuple3<BlockId, Object, Object>>>> seqs = new ArrayList<>();
                blocks.forEach(b -> seqs.add(new Tuple2<>(b._1(), CollectionConverters.asScala(b._2()).toSeq())));
                return standardFetcher(env, tracker, seqs, serializers);
            };
            ReduceTask task = new ReduceTask(context, serializers, metrics, counters,
                    ReaderSettings.from(runtime.conf(), env.conf()));
            FabricBlockIterator fabricBlocks = new FabricBlockIterator(task, ReaderFabric.of(runtime.fabric()),
                    new ArrayList<>(staged.values()), runtime.peerProbes(), late, runtime.indexes(), batched);
            context.addTaskCompletionListener((TaskCompletionListener) ctx -> fabricBlocks.releaseAll());
            sources.addFirst(fabricBlocks);
        }
        context.addTaskCompletionListener((TaskCompletionListener) ctx -> runtime.reportStats(counters.snapshot()));
        Iterator<Tuple2<BlockId, InputStream>> streams = new Concat<>(sources);

        SerializerInstance ser = dep.serializer().newInstance();
        Iterator<Tuple2<Object, Object>> records = streams.flatMap(
                t -> ser.deserializeStream(t._2()).asKeyValueIterator());
        Iterator<Tuple2<Object, Object>> counted = new CountingIterator(records, metrics, context);
        InterruptibleIterator<Tuple2<Object, Object>> interruptible = new InterruptibleIterator<>(context, counted);

        Iterator result;
        if (dep.keyOrdering().isDefined()) {
            Option aggregator;
            if (dep.aggregator().isDefined()) {
                Aggregator agg = dep.aggregator().get();
                aggregator = dep.mapSideCombine()
                        ? Option.apply(new Aggregator(x -> x, agg.mergeCombiners(), agg.mergeCombiners()))
                        : dep.aggregator();
            } else {
                aggregator = Option.empty();
            }
            ExternalSorter sorter = SparkInternalApi.sorter(context, aggregator, dep.keyOrdering().get(),
                    dep.serializer());
            result = sorter.insertAllAndUpdateMetrics((Iterator) interruptible);
        } else if (dep.aggregator().isDefined()) {
            Aggregator agg = dep.aggregator().get();
            result = dep.mapSideCombine()
                    ? agg.combineCombinersByKey((Iterator) interruptible, context)
                    : agg.combineValuesByKey((Iterator) interruptible, context);
        } else {
            result = interruptible;
        }
        return result instanceof InterruptibleIterator ? result : new InterruptibleIterator<>(context, result);
    }

    /** Map index to map id (the attempt in the MapStatus) of every shuffle block this task reads. */
    private static Map<Integer, Long> attempts(
            List<Tuple2<BlockManagerId, List<Tuple3<BlockId, Object, Object>>>> byAddress) {
        Map<Integer, Long> attempts = new HashMap<>();
        for (var entry : byAddress) {
            for (Tuple3<BlockId, Object, Object> b : entry._2()) {
                if (b._1() instanceof ShuffleBlockId id) {
                    attempts.put((Integer) b._3(), id.mapId());
                }
            }
        }
        return attempts;
    }

    private StagedMapOutput localOutput(MapOutputLocation loc) {
        if (!loc.executorId().equals(runtime.executorId()) || runtime.staged() == null) {
            return null;
        }
        return runtime.staged().get(loc.shuffleId(), loc.mapId());
    }

    private Iterator<Tuple2<BlockId, InputStream>> standardFetcher(
            SparkEnv env, MapOutputTracker tracker,
            List<Tuple2<BlockManagerId, scala.collection.Seq<Tuple3<BlockId, Object, Object>>>> blocks,
            SerializerManager serializers) {
        return SparkInternalApi.blockFetcher(context, env.blockManager(), tracker, env.conf(), serializers, blocks,
                metrics);
    }

    /** Counts records as Spark's reader does, and merges the task's read metrics at the end. */
    private static final class CountingIterator extends AbstractIterator<Tuple2<Object, Object>> {
        private final Iterator<Tuple2<Object, Object>> in;
        private final ShuffleReadMetricsReporter metrics;
        private final TaskContext context;
        private boolean merged;

        CountingIterator(Iterator<Tuple2<Object, Object>> in, ShuffleReadMetricsReporter metrics, TaskContext context) {
            this.in = in;
            this.metrics = metrics;
            this.context = context;
        }

        @Override
        public boolean hasNext() {
            boolean more = in.hasNext();
            if (!more && !merged) {
                merged = true;
                context.taskMetrics().mergeShuffleReadMetrics();
            }
            return more;
        }

        @Override
        public Tuple2<Object, Object> next() {
            Tuple2<Object, Object> r = in.next();
            metrics.incRecordsRead(1);
            return r;
        }
    }

    /** Several block iterators as one. */
    private static final class Concat<T> extends AbstractIterator<T> {
        private final List<Iterator<T>> parts;
        private int current;

        Concat(List<Iterator<T>> parts) {
            this.parts = parts;
        }

        @Override
        public boolean hasNext() {
            while (current < parts.size()) {
                if (parts.get(current).hasNext()) {
                    return true;
                }
                current++;
            }
            return false;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return parts.get(current).next();
        }
    }
}
