package org.apache.spark.shuffle.efa.writer;

import org.apache.spark.shuffle.api.ShuffleMapOutputWriter;
import org.apache.spark.shuffle.api.ShufflePartitionWriter;
import org.apache.spark.shuffle.api.metadata.MapOutputCommitMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

/**
 * Writes one map output straight into registered memory: partitions land back to back in an
 * extent of the executor's arena (no staging copy), and at commit the index goes right after them,
 * then Spark's per-partition checksums (when Spark computed them), and the location is sent to
 * the driver ahead of the task's status update. When the arena cannot hold the
 * output, what was written so far is replayed into Spark's own file writer, which takes the rest.
 */
public final class EfaShuffleMapOutputWriter implements ShuffleMapOutputWriter {
    /** Spark's local-disk writer for this same map output, opened only when needed. */
    public interface FileWriterFactory {
        ShuffleMapOutputWriter open() throws IOException;
    }

    private final int shuffleId;
    private final int mapIndex;
    private final long mapId;
    private final int numPartitions;
    private final ShuffleArena arena;
    private final StagedOutputs outputs;
    private final FileWriterFactory files;
    private final Consumer<StagedMapOutput> publisher;
    private final long[] lengths;

    private ShuffleArena.Extent extent;
    private long position;
    private int lastPartition = -1;
    private ShuffleMapOutputWriter fileWriter;
    private PartitionStream open;

    public EfaShuffleMapOutputWriter(int shuffleId, int mapIndex, long mapId, int numPartitions, StagedOutputs outputs,
                                     long reserve, FileWriterFactory files, Consumer<StagedMapOutput> publisher)
            throws IOException {
        this.shuffleId = shuffleId;
        this.mapIndex = mapIndex;
        this.mapId = mapId;
        this.numPartitions = numPartitions;
        this.outputs = outputs;
        this.arena = outputs.arena();
        this.files = files;
        this.publisher = publisher;
        this.lengths = new long[numPartitions];
        this.extent = start(Math.max(reserve, indexBytes()));
        if (extent == null) {
            fileWriter = files.open();
        }
    }

    /** The smallest first extent a writer settles for before it writes to files instead. */
    static final long SMALLEST_START = 1 << 20;

    /**
     * The first extent: the reserve, or, when no free range holds that much (the ranges left
     * between committed outputs that were trimmed), half as much and so on down to
     * {@link #SMALLEST_START}: many outputs fit there whole, and one that outgrows it moves.
     */
    private ShuffleArena.Extent start(long reserve) {
        long floor = Math.min(reserve, Math.max(SMALLEST_START, indexBytes() + 8));
        for (long size = reserve; ; size = Math.max(floor, size / 2)) {
            ShuffleArena.Extent e = arena.allocate(size);
            if (e != null || size == floor) {
                return e;
            }
        }
    }

    /** Index and checksums: what follows the data. */
    private long indexBytes() {
        return 8L * (numPartitions + 1) + 8L * numPartitions;
    }

    @Override
    public ShufflePartitionWriter getPartitionWriter(int reducePartitionId) throws IOException {
        if (reducePartitionId <= lastPartition || reducePartitionId >= numPartitions) {
            throw new IllegalArgumentException("partitions must be written in increasing order below "
                    + numPartitions + "; got " + reducePartitionId + " after " + lastPartition);
        }
        if (open != null) {
            open.close();
        }
        lastPartition = reducePartitionId;
        if (fileWriter != null) {
            return fileWriter.getPartitionWriter(reducePartitionId);
        }
        return new MemoryPartitionWriter(reducePartitionId);
    }

    /** Makes room for {@code more} bytes plus the index; false when the arena cannot. */
    private boolean ensure(long more) {
        long need = position + more + indexBytes() + 8;
        if (need <= extent.length()) {
            return true;
        }
        // Half again, not double: several writers grow at once in one budget, and what each holds
        // beyond its output until commit is what the others cannot have.
        long want = Math.max(need, extent.length() + extent.length() / 2);
        ShuffleArena.Extent grown = arena.extend(extent, want);
        if (grown == null) {
            grown = arena.extend(extent, need);
        }
        if (grown != null) {
            extent = grown;
            return true;
        }
        ShuffleArena.Extent moved = arena.relocate(want);
        if (moved == null) {
            moved = arena.relocate(need);
        }
        if (moved == null) {
            return false;
        }
        MemorySegment mem = arena.memory();
        MemorySegment.copy(mem, extent.offset(), mem, moved.offset(), position);
        arena.release(extent);
        extent = moved;
        return true;
    }

    /**
     * The arena is full: hands every partition written so far, and the open one's bytes, to
     * Spark's file writer, frees the extent, and returns the stream the open partition continues in.
     */
    private OutputStream switchToFiles(int openPartition, long openStart) throws IOException {
        fileWriter = files.open();
        MemorySegment mem = arena.memory();
        long start = 0;
        OutputStream continued = null;
        for (int p = 0; p <= openPartition; p++) {
            long len = p == openPartition ? position - openStart : lengths[p];
            if (p != openPartition && len == 0) {
                continue;
            }
            OutputStream out = fileWriter.getPartitionWriter(p).openStream();
            byte[] chunk = new byte[(int) Math.min(len, 1 << 20)];
            for (long done = 0; done < len; ) {
                int n = (int) Math.min(chunk.length, len - done);
                MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, extent.offset() + start + done, chunk, 0, n);
                out.write(chunk, 0, n);
                done += n;
            }
            start += len;
            if (p == openPartition) {
                continued = out;
            } else {
                out.close();
            }
        }
        arena.release(extent);
        extent = null;
        return continued;
    }

    @Override
    public MapOutputCommitMessage commitAllPartitions(long[] checksums) throws IOException {
        if (open != null) {
            open.close();
        }
        if (fileWriter != null) {
            return fileWriter.commitAllPartitions(checksums);
        }
        MemorySegment mem = arena.memory();
        long indexOffset = (position + 7) & ~7L;
        long offset = 0;
        for (int p = 0; p <= numPartitions; p++) {
            mem.set(ValueLayout.JAVA_LONG_UNALIGNED, extent.offset() + indexOffset + 8L * p, offset);
            if (p < numPartitions) {
                offset += lengths[p];
            }
        }
        // Spark passes no checksums when spark.shuffle.checksum.enabled=false.
        boolean checked = checksums != null && checksums.length == numPartitions;
        long checksumOffset = indexOffset + 8L * (numPartitions + 1);
        if (checked) {
            MemorySegment.copy(checksums, 0, mem, ValueLayout.JAVA_LONG_UNALIGNED, extent.offset() + checksumOffset,
                    numPartitions);
        }
        extent = arena.trim(extent, checked ? checksumOffset + 8L * numPartitions : checksumOffset);
        StagedMapOutput out = new StagedMapOutput(shuffleId, mapIndex, mapId, extent, position, indexOffset,
                numPartitions, checked ? checksumOffset : -1);
        outputs.add(out);
        extent = null;
        publisher.accept(out); // sent ahead of the task's status update: in the registry before readers look
        return MapOutputCommitMessage.of(lengths.clone());
    }

    @Override
    public void abort(Throwable error) throws IOException {
        if (extent != null) {
            arena.release(extent);
            extent = null;
        }
        if (fileWriter != null) {
            fileWriter.abort(error);
        }
    }

    private final class MemoryPartitionWriter implements ShufflePartitionWriter {
        private final int partition;
        private PartitionStream stream;

        MemoryPartitionWriter(int partition) {
            this.partition = partition;
        }

        @Override
        public OutputStream openStream() {
            if (stream == null) {
                stream = new PartitionStream(partition);
                open = stream;
            }
            return stream;
        }

        @Override
        public long getNumBytesWritten() {
            return stream == null ? 0 : stream.written;
        }
    }

    /** Appends to the extent; after a switch to files, forwards to the file writer's stream. */
    private final class PartitionStream extends OutputStream {
        private final int partition;
        private final long start = position;
        private long written;
        private OutputStream file;
        private boolean closed;

        PartitionStream(int partition) {
            this.partition = partition;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("partition " + partition + " stream is closed");
            }
            if (file == null && !ensure(len)) {
                file = switchToFiles(partition, start);
            }
            if (file != null) {
                file.write(b, off, len);
            } else {
                MemorySegment.copy(b, off, arena.memory(), ValueLayout.JAVA_BYTE, extent.offset() + position, len);
                position += len;
            }
            written += len;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (file != null) {
                file.close();
            } else if (fileWriter == null) {
                lengths[partition] = written;
            }
            if (open == this) {
                open = null;
            }
        }
    }
}
