package org.apache.spark.shuffle.efa.writer;

import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import org.apache.spark.network.buffer.ManagedBuffer;

import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Staged blocks as Spark serves them (Netty fetches, local reads, migration): a view of registered
 * memory that keeps its map output's extent from being reused until the view is let go. Spark's
 * file buffers get the same from the open file; here the hold ends when the last holder releases
 * the buffer ({@code MessageWithHeader} does once the bytes are on the wire) or, for holders that
 * never release (Spark's local reads retain once more than they release), when the view and
 * every duplicate of it have become unreachable: a duplicate references its parent, so nothing
 * can read the memory after that.
 */
public final class StagedBlockBuffer extends ManagedBuffer {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ByteBuffer view;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Cleaner.Cleanable hold;

    /** {@code view} must be the root of every buffer handed out; {@code unhold} must not reference it. */
    StagedBlockBuffer(ByteBuffer view, Runnable unhold) {
        this.view = view;
        this.hold = CLEANER.register(view, unhold);
    }

    @Override
    public long size() {
        return view.remaining();
    }

    @Override
    public ByteBuffer nioByteBuffer() {
        return view.duplicate();
    }

    @Override
    public InputStream createInputStream() {
        return new ByteBufInputStream(Unpooled.wrappedBuffer(view.duplicate()));
    }

    @Override
    public ManagedBuffer retain() {
        refs.incrementAndGet();
        return this;
    }

    @Override
    public ManagedBuffer release() {
        if (refs.decrementAndGet() == 0) {
            hold.clean(); // runs the unhold at most once, with the Cleaner's own guard
        }
        return this;
    }

    @Override
    public Object convertToNetty() {
        return Unpooled.wrappedBuffer(view.duplicate());
    }

    @Override
    public Object convertToNettyForSsl() {
        return Unpooled.wrappedBuffer(view.duplicate());
    }

    @Override
    public String toString() {
        return "StagedBlockBuffer[" + view.remaining() + " bytes]";
    }
}
