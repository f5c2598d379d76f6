package org.apache.spark.shuffle.efa;

import org.apache.spark.SparkConf;
import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.network.buffer.NioManagedBuffer;
import org.apache.spark.shuffle.IndexShuffleBlockResolver;
import org.apache.spark.shuffle.ShuffleBlockInfo;
import org.apache.spark.shuffle.efa.hostlocal.HostPeerStagedBlocks;
import org.apache.spark.shuffle.efa.sparkapi.SparkInternalApi;
import org.apache.spark.shuffle.efa.writer.StagedChecksumFile;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.shuffle.efa.writer.StagedOutputs;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.ShuffleBlockId;
import org.apache.spark.storage.ShuffleDataBlockId;
import org.apache.spark.storage.ShuffleIndexBlockId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Serves every shuffle block for Spark's own paths (Netty fetches from other executors, local
 * reads): staged blocks straight from registered memory, the rest from Spark's data and index
 * files. So a reader without a fabric still gets staged blocks, through Netty. A host-local read
 * (Spark reading another executor's directories on this host) of a block that executor staged
 * goes to its owner through Netty ({@link HostPeerStagedBlocks}).
 *
 * <p>It is Spark's {@link IndexShuffleBlockResolver} for file outputs because Spark casts the
 * resolver to it (corruption diagnosis, fallback storage) and to its {@code MigratableResolver}
 * (decommissioning), and asks it for {@code getBlocksForShuffle} (external shuffle service
 * clean-up). It shares the sort shuffle manager's map of written map tasks, so migrated files
 * are deleted with their shuffle. Staged outputs differ only where noted below.
 */
public final class EfaShuffleBlockResolver extends IndexShuffleBlockResolver {
    private static final Logger LOG = LoggerFactory.getLogger(EfaShuffleBlockResolver.class);
    /** This executor's staged outputs, or null while none can exist (the runtime has not started). */
    private final Supplier<StagedOutputs> stagedOutputs;
    private final HostPeerStagedBlocks hostPeers = new HostPeerStagedBlocks();
    /** Shuffles Spark asked to stop migrating (removed or being removed); Spark's own set is private. */
    private final Set<Integer> skipped = ConcurrentHashMap.newKeySet();
    private final String writerChecksumAlgorithm;

    public EfaShuffleBlockResolver(SparkConf conf, IndexShuffleBlockResolver files, ExecutorShuffleRuntime runtime) {
        this(conf, files, runtime::stagedIfStarted);
    }

    /** Tests: staged outputs without a started runtime. */
    EfaShuffleBlockResolver(SparkConf conf, IndexShuffleBlockResolver files, Supplier<StagedOutputs> stagedOutputs) {
        super(conf, null, files.taskIdMapsForShuffle());
        this.stagedOutputs = stagedOutputs;
        this.writerChecksumAlgorithm = SparkInternalApi.checksumAlgorithm(conf);
    }

    /**
     * Every shuffle block Spark serves (remote fetches, local and host-local reads, corruption
     * diagnosis) comes through here; its reduce ids are checked against the map output's
     * partition count ({@link ReduceIdRange}) before any index entry is read, for staged and
     * file outputs alike. Spark's own resolver would read past the index file (an EOFException)
     * or build a negative-length segment; a staged output would have served whatever memory the
     * entries after its index describe.
     */
    @Override
    public ManagedBuffer getBlockData(BlockId blockId, Option<String[]> dirs) {
        ReduceIdRange range = ReduceIdRange.of(blockId);
        if (range == null) {
            return super.getBlockData(blockId, dirs); // not a shuffle block: Spark's own error
        }
        StagedOutputs staged = stagedOutputs.get();
        StagedMapOutput out = staged == null ? null : staged.get(range.shuffleId(), range.mapId());
        if (out != null) {
            range.checkWithin(out.numPartitions());
            ManagedBuffer block = staged.serve(out, range.start(), (int) range.end());
            if (block != null) {
                return block;
            } // removed meanwhile: its shuffle is gone, and Spark's path below says the block is missing
        }
        File index = getIndexFile(range.shuffleId(), range.mapId(), dirs);
        if (dirs.isDefined() && blockId instanceof ShuffleBlockId id && !index.exists()) {
            return hostPeers.fromOwner(id); // another executor's output, not in its files: staged there (it checks)
        }
        long indexBytes = index.length(); // 0 when missing: Spark's read below then names the file
        if (indexBytes >= 8) {
            range.checkWithin(indexBytes / 8 - 1); // Spark's index: numPartitions + 1 offsets
        }
        return super.getBlockData(blockId, dirs);
    }

    /**
     * Spark's checksum file of a map output; for a staged one that has checksums, written from
     * registered memory when first asked for. Spark asks for it (with no {@code dirs}) to diagnose a
     * corrupt block it read from this executor, and reads the block itself through
     * {@link #getBlockData}; so the diagnosis (disk, network or none) works for both kinds of output.
     */
    @Override
    public File getChecksumFile(int shuffleId, long mapId, String algorithm, Option<String[]> dirs) {
        return withStagedChecksums(super.getChecksumFile(shuffleId, mapId, algorithm, dirs), shuffleId, mapId,
                algorithm, dirs.isEmpty());
    }

    /** {@code file}, written from the staged output's checksums first when it is this executor's and missing. */
    File withStagedChecksums(File file, int shuffleId, long mapId, String algorithm, boolean own) {
        StagedOutputs staged = stagedOutputs.get();
        StagedMapOutput out = !own || staged == null ? null : staged.get(shuffleId, mapId);
        if (out == null || out.checksumOffset() < 0 || !algorithm.equalsIgnoreCase(writerChecksumAlgorithm)
                || file.exists()) {
            return file;
        }
        try {
            StagedChecksumFile.write(staged, out, file);
        } catch (IOException e) {
            LOG.warn("could not write the checksums of staged map output {} of shuffle {} to {}; Spark's corruption "
                    + "diagnosis will say the cause is unknown", mapId, shuffleId, file, e);
        }
        return file;
    }

    /** File outputs as Spark lists them, plus staged outputs: decommissioning migrates both. */
    @Override
    public scala.collection.immutable.Seq<ShuffleBlockInfo> getStoredShuffles() {
        List<ShuffleBlockInfo> all = new ArrayList<>(CollectionConverters.asJava(super.getStoredShuffles()));
        StagedOutputs staged = stagedOutputs.get();
        if (staged != null) {
            for (StagedMapOutput out : staged.all()) {
                if (!skipped.contains(out.shuffleId())) {
                    all.add(new ShuffleBlockInfo(out.shuffleId(), out.mapId()));
                }
            }
        }
        return CollectionConverters.asScala(all).toSeq();
    }

    @Override
    public void addShuffleToSkip(int shuffleId) {
        skipped.add(shuffleId);
        super.addShuffleToSkip(shuffleId);
    }

    /**
     * A staged output migrates as the data and index blocks Spark's migration sends for a file
     * output (the receiving executor stores them as files, and the driver then names that executor
     * in the MapStatus), straight from registered memory: nothing is written here first.
     */
    @Override
    public scala.collection.immutable.List<Tuple2<BlockId, ManagedBuffer>> getMigrationBlocks(ShuffleBlockInfo info) {
        StagedOutputs staged = stagedOutputs.get();
        StagedMapOutput out = staged == null ? null : staged.get(info.shuffleId(), info.mapId());
        ManagedBuffer data = out == null ? null : staged.serve(out, 0, out.numPartitions());
        if (data == null) {
            return super.getMigrationBlocks(info);
        }
        MemorySegment memory = staged.arena().memory();
        int noReduce = IndexShuffleBlockResolver.NOOP_REDUCE_ID();
        List<Tuple2<BlockId, ManagedBuffer>> blocks = List.of(
                new Tuple2<>(new ShuffleDataBlockId(out.shuffleId(), out.mapId(), noReduce), data),
                new Tuple2<>(new ShuffleIndexBlockId(out.shuffleId(), out.mapId(), noReduce),
                        new NioManagedBuffer(sparkIndex(memory, out))));
        return CollectionConverters.asScala(blocks).toList();
    }

    /** The output's offsets in Spark's index file format (big-endian longs; ours are in native order). */
    private static ByteBuffer sparkIndex(MemorySegment memory, StagedMapOutput out) {
        ByteBuffer index = ByteBuffer.allocate(8 * (out.numPartitions() + 1)).order(ByteOrder.BIG_ENDIAN);
        for (int p = 0; p <= out.numPartitions(); p++) {
            index.putLong(out.partitionOffset(memory, p));
        }
        return index.flip();
    }
}
