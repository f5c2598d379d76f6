package org.apache.spark.shuffle.efa.hostlocal;

import org.apache.spark.SparkEnv;
import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.storage.ShuffleBlockId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host-local reads of blocks that another executor on this host staged in registered memory.
 *
 * <p>With Spark's default {@code spark.shuffle.readHostLocalDisk=true}, Spark's fetcher reads a
 * same-host executor's shuffle blocks from that executor's directories through <em>this</em>
 * process's resolver. A staged map output has no files there, so this asks its owner (found in
 * the MapOutputTracker) through Netty instead. This covers every block the plugin's reader hands
 * to Spark's fetcher: a reader whose fabric did not start, an attempt id that does not match the
 * registry, a registry entry that is missing.
 *
 * <p>Why here and not by keeping such blocks away from the host-local path in the reader: the
 * fetcher decides host-local by address alone (same host, host-local reading on), so the reader
 * could only avoid it by fetching those blocks itself; the reader also cannot tell a staged
 * output from a file-backed one without the fabric's registry lookup, so it would give up Spark's
 * direct disk reads for every file-backed block too. Asking the owner only when the files are not
 * there keeps Spark's fast path for files and its failure handling for everything.
 */
public final class HostPeerStagedBlocks {
    private static final Logger LOG = LoggerFactory.getLogger(HostPeerStagedBlocks.class);

    private volatile MapOutputOwners owners;
    private volatile boolean logged;

    /** A buffer that fetches {@code block} from the executor that holds it when first read. */
    public ManagedBuffer fromOwner(ShuffleBlockId block) {
        SparkEnv env = SparkEnv.get();
        BlockOwner owner = owners(env).ownerOf(block);
        if (!logged) {
            logged = true;
            LOG.info("{} has no files in executor {}'s directories (staged in its registered memory): "
                    + "fetching such host-local blocks from their owner through Netty", block,
                    owner.address().executorId());
        }
        return new OwnerFetchedBuffer(block, owner, env.blockManager().blockTransferService());
    }

    private MapOutputOwners owners(SparkEnv env) {
        MapOutputOwners o = owners;
        if (o == null) {
            synchronized (this) {
                if (owners == null) {
                    owners = new MapOutputOwners(env.mapOutputTracker());
                }
                o = owners;
            }
        }
        return o;
    }
}
