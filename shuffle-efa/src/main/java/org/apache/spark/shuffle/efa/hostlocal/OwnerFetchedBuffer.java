package org.apache.spark.shuffle.efa.hostlocal;

import org.apache.spark.network.BlockTransferService;
import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.shuffle.FetchFailedException;
import org.apache.spark.shuffle.efa.sparkapi.Unchecked;
import org.apache.spark.storage.ShuffleBlockId;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A shuffle block that another executor on this host staged in its registered memory, fetched
 * from that executor through Spark's Netty block transfer when the reduce task first reads it
 * (the owner's resolver serves staged blocks from memory).
 *
 * <p>Why lazily and not in the constructor: Spark's fetcher asks for host-local blocks from a
 * Netty I/O thread the first time it learns another executor's directories; a blocking Netty fetch
 * there could wait on the very event loop that must deliver its answer. The first read happens on
 * the task thread.
 *
 * <p>Why a failure is thrown as {@link FetchFailedException} and not as an IOException: for a
 * host-local block, Spark's fetcher only expects an IOException from a file segment (it asserts
 * so), and any other error would fail the task instead of re-running the lost map. Thrown on the
 * task thread, FetchFailed is recorded on the task and names the owner, as Spark's own remote fetch
 * failures do.
 *
 * <p>{@link #size()} is the map status's (approximate) size until the bytes are here; Spark uses
 * it only for the local-bytes metric of this block.
 */
public final class OwnerFetchedBuffer extends ManagedBuffer {
    private final ShuffleBlockId block;
    private final BlockOwner owner;
    private final BlockTransferService transfer;
    private ManagedBuffer fetched;

    public OwnerFetchedBuffer(ShuffleBlockId block, BlockOwner owner, BlockTransferService transfer) {
        this.block = block;
        this.owner = owner;
        this.transfer = transfer;
    }

    private synchronized ManagedBuffer fetched() {
        if (fetched == null) {
            try {
                fetched = transfer.fetchBlockSync(owner.address().host(), owner.address().port(),
                        owner.address().executorId(), block.name(), null);
            } catch (Exception e) {
                if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                    // A killed task: FetchFailed would make Spark recompute a healthy map output.
                    throw Unchecked.raise(e);
                }
                throw Unchecked.raise(new FetchFailedException(owner.address(), block.shuffleId(), block.mapId(),
                        owner.mapIndex(), block.reduceId(), "cannot fetch " + block + " staged by executor "
                        + owner.address().executorId() + " on this host from it through Netty: " + e, e));
            }
        }
        return fetched;
    }

    @Override
    public synchronized long size() {
        return fetched == null ? owner.approximateSize() : fetched.size();
    }

    @Override
    public ByteBuffer nioByteBuffer() throws IOException {
        return fetched().nioByteBuffer();
    }

    @Override
    public InputStream createInputStream() throws IOException {
        return fetched().createInputStream();
    }

    @Override
    public ManagedBuffer retain() {
        return this;
    }

    @Override
    public synchronized ManagedBuffer release() {
        if (fetched != null) {
            fetched.release();
            fetched = null;
        }
        return this;
    }

    @Override
    public Object convertToNetty() throws IOException {
        return fetched().convertToNetty();
    }

    @Override
    public Object convertToNettyForSsl() throws IOException {
        return fetched().convertToNettyForSsl();
    }

    @Override
    public String toString() {
        return "OwnerFetchedBuffer{" + block + " from " + owner.address() + "}";
    }

}
