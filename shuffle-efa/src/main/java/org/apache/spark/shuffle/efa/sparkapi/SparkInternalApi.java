package org.apache.spark.shuffle.efa.sparkapi;

import org.apache.spark.Aggregator;
import org.apache.spark.MapOutputTracker;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext$;
import org.apache.spark.TaskContext;
import org.apache.spark.internal.config.package$;
import org.apache.spark.io.CompressionCodec$;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerManager;
import org.apache.spark.shuffle.ShuffleReadMetricsReporter;
import org.apache.spark.shuffle.sort.SortShuffleManager;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.ShuffleBlockFetcherIterator;
import org.apache.spark.util.RpcUtils$;
import org.apache.spark.util.SystemClock;
import org.apache.spark.util.collection.ExternalSorter$;
import org.apache.spark.util.collection.ExternalSorter;
import scala.Option;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.math.Ordering;

import java.io.InputStream;
import java.util.List;

/**
 * Every Spark-internal API the plugin calls (constructors, objects and config entries that are
 * {@code private[spark]} and change between Spark releases), in one place: supporting another
 * Spark version means changing this file and {@code SupportMatrix}. Public plugin APIs
 * ({@code ShuffleManager}, {@code ShuffleDataIO}) and the classes the plugin extends stay where
 * they are used.
 */
public final class SparkInternalApi {
    private SparkInternalApi() {}

    /** Spark's own version string. */
    public static String sparkVersion() {
        return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    }

    /** Whether a SparkEnv's executor id is the driver's. */
    public static boolean isDriver(String executorId) {
        return SparkContext$.MODULE$.DRIVER_IDENTIFIER().equals(executorId);
    }

    /** {@code spark.shuffle.checksum.algorithm}. */
    public static String checksumAlgorithm(SparkConf conf) {
        return (String) conf.get(package$.MODULE$.SHUFFLE_CHECKSUM_ALGORITHM());
    }

    /** A reference to an endpoint on the driver, as Spark's executors look theirs up. */
    public static RpcEndpointRef driverEndpoint(String name, SparkConf conf, RpcEnv rpcEnv) {
        return RpcUtils$.MODULE$.makeDriverRef(name, conf, rpcEnv);
    }

    /**
     * Whether Spark SQL asked this task to read each map output's consecutive blocks as one
     * stream: a range of partitions (AQE's coalesced reads) with its batch-fetch property set.
     */
    public static boolean batchFetchRequested(int startPartition, int endPartition, TaskContext context) {
        return SortShuffleManager.canUseBatchFetch(startPartition, endPartition, context);
    }

    /**
     * Whether consecutive blocks can be read as one stream, as Spark's reader decides
     * (BlockStoreShuffleReader.fetchContinuousBlocksInBatch): serialized streams that can be
     * concatenated, a codec whose streams can be (or no compression), the current fetch
     * protocol, and no I/O encryption (an encrypted stream cannot be concatenated).
     */
    public static boolean batchFetchSupported(Serializer serializer, SparkConf conf) {
        package$ c = package$.MODULE$;
        boolean compressed = (Boolean) conf.get(c.SHUFFLE_COMPRESS());
        return serializer.supportsRelocationOfSerializedObjects()
                && (!compressed || CompressionCodec$.MODULE$.supportsConcatenationOfSerializedStreams(
                        CompressionCodec$.MODULE$.createCodec(conf)))
                && !(Boolean) conf.get(c.SHUFFLE_USE_OLD_FETCH_PROTOCOL())
                && !(Boolean) conf.get(c.IO_ENCRYPTION_ENABLED());
    }

    /**
     * Spark's own block fetcher over {@code blocks}, configured as Spark's reader configures it
     * (in-flight limits, corruption detection, checksums from the SparkConf). Block by block: no
     * batch fetch, which the host-local owner fetch of staged blocks does not serve.
     */
    public static Iterator<Tuple2<BlockId, InputStream>> blockFetcher(TaskContext context, BlockManager bm,
            MapOutputTracker tracker, SparkConf conf, SerializerManager serializers,
            List<Tuple2<BlockManagerId, scala.collection.Seq<Tuple3<BlockId, Object, Object>>>> blocks,
            ShuffleReadMetricsReporter metrics) {
        package$ c = package$.MODULE$;
        ShuffleBlockFetcherIterator fetcher = new ShuffleBlockFetcherIterator(context, bm.blockStoreClient(), bm,
                tracker, CollectionConverters.asScala(blocks.iterator()),
                (id, in) -> serializers.wrapStream(id, in),
                (Long) conf.get(c.REDUCER_MAX_SIZE_IN_FLIGHT()) * 1024 * 1024,
                (Integer) conf.get(c.REDUCER_MAX_REQS_IN_FLIGHT()),
                (Integer) conf.get(c.REDUCER_MAX_BLOCKS_IN_FLIGHT_PER_ADDRESS()),
                (Long) conf.get(c.MAX_REMOTE_BLOCK_SIZE_FETCH_TO_MEM()),
                (Integer) conf.get(c.SHUFFLE_MAX_ATTEMPTS_ON_NETTY_OOM()),
                (Boolean) conf.get(c.SHUFFLE_DETECT_CORRUPT()),
                (Boolean) conf.get(c.SHUFFLE_DETECT_CORRUPT_MEMORY()),
                (Boolean) conf.get(c.SHUFFLE_CHECKSUM_ENABLED()),
                (String) conf.get(c.SHUFFLE_CHECKSUM_ALGORITHM()),
                metrics, false, new SystemClock());
        return fetcher.toCompletionIterator();
    }

    /** Spark's spilling sorter for a reduce side with a key ordering, as its own reader builds it. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static ExternalSorter sorter(TaskContext context, Option<Aggregator> aggregator, Ordering ordering,
            Serializer serializer) {
        return new ExternalSorter(context, (Option) aggregator, Option.empty(), Option.apply(ordering), serializer,
                ExternalSorter$.MODULE$.$lessinit$greater$default$6());
    }
}
