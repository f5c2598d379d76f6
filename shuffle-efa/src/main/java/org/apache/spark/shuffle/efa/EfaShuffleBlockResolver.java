package org.apache.spark.shuffle.efa;

import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.network.buffer.NioManagedBuffer;
import org.apache.spark.network.shuffle.MergedBlockMeta;
import org.apache.spark.shuffle.IndexShuffleBlockResolver;
import org.apache.spark.shuffle.ShuffleBlockResolver;
import org.apache.spark.shuffle.efa.hostlocal.HostPeerStagedBlocks;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.shuffle.efa.writer.StagedOutputs;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.ShuffleBlockBatchId;
import org.apache.spark.storage.ShuffleBlockId;
import org.apache.spark.storage.ShuffleMergedBlockId;
import scala.Option;

import java.lang.foreign.MemorySegment;

/**
 * Serves every shuffle block for Spark's own paths (Netty fetches from other executors, local
 * reads): staged blocks straight from registered memory, the rest from Spark's data and index
 * files. So a reader without a fabric still gets staged blocks, through Netty. A host-local read
 * (Spark reading another executor's directories on this host) of a block that executor staged
 * goes to its owner through Netty ({@link HostPeerStagedBlocks}).
 */
public final class EfaShuffleBlockResolver implements ShuffleBlockResolver {
    private final IndexShuffleBlockResolver files;
    private final ExecutorShuffleRuntime runtime;
    private final HostPeerStagedBlocks hostPeers = new HostPeerStagedBlocks();

    public EfaShuffleBlockResolver(IndexShuffleBlockResolver files, ExecutorShuffleRuntime runtime) {
        this.files = files;
        this.runtime = runtime;
    }

    @Override
    public ManagedBuffer getBlockData(BlockId blockId, Option<String[]> dirs) {
        StagedOutputs staged = runtime.stagedIfStarted();
        if (staged != null) {
            if (blockId instanceof ShuffleBlockId id) {
                StagedMapOutput out = staged.get(id.shuffleId(), id.mapId());
                if (out != null) {
                    return slice(staged, out, id.reduceId(), id.reduceId() + 1);
                }
            } else if (blockId instanceof ShuffleBlockBatchId id) {
                StagedMapOutput out = staged.get(id.shuffleId(), id.mapId());
                if (out != null) {
                    return slice(staged, out, id.startReduceId(), id.endReduceId());
                }
            }
        }
        if (dirs.isDefined() && blockId instanceof ShuffleBlockId id
                && !files.getIndexFile(id.shuffleId(), id.mapId(), dirs).exists()) {
            return hostPeers.fromOwner(id); // another executor's output, not in its files: staged there
        }
        return files.getBlockData(blockId, dirs);
    }

    private static ManagedBuffer slice(StagedOutputs staged, StagedMapOutput out, int from, int to) {
        MemorySegment memory = staged.arena().memory();
        long start = out.partitionOffset(memory, from);
        long end = out.partitionOffset(memory, to);
        return new NioManagedBuffer(memory.asSlice(out.extent().offset() + start, end - start).asByteBuffer());
    }

    @Override
    public scala.collection.immutable.Seq<ManagedBuffer> getMergedBlockData(ShuffleMergedBlockId blockId,
                                                                          Option<String[]> dirs) {
        return files.getMergedBlockData(blockId, dirs);
    }

    @Override
    public MergedBlockMeta getMergedBlockMeta(ShuffleMergedBlockId blockId, Option<String[]> dirs) {
        return files.getMergedBlockMeta(blockId, dirs);
    }

    @Override
    public void stop() {
        files.stop();
    }
}
