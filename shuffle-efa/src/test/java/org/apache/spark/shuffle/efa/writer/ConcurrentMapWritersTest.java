package org.apache.spark.shuffle.efa.writer;

import org.apache.spark.shuffle.api.ShuffleMapOutputWriter;
import org.apache.spark.shuffle.api.ShufflePartitionWriter;
import org.apache.spark.shuffle.api.metadata.MapOutputCommitMessage;
import org.apache.spark.shuffle.efa.memory.NativeMapping;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Map writers of one executor writing at once into one budget, as an executor with several task
 * slots does: their chunks interleave, each extent grows or moves while the others are open, and
 * committed outputs stay (a shuffle's outputs live until it is removed). What does not fit goes to
 * Spark's file writer, here a counter.
 */
class ConcurrentMapWritersTest {
    private static final long MIB = 1 << 20;

    /** Bytes written to files, and bytes committed to memory, by one run. */
    private record Outcome(long fileBytes, long memoryBytes) {}

    private static final class CountingFiles implements ShuffleMapOutputWriter {
        long bytes;

        @Override
        public ShufflePartitionWriter getPartitionWriter(int p) {
            return new ShufflePartitionWriter() {
                @Override
                public OutputStream openStream() {
                    return new OutputStream() {
                        @Override
                        public void write(int b) {
                            bytes++;
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                            bytes += len;
                        }
                    };
                }

                @Override
                public long getNumBytesWritten() {
                    return 0;
                }
            };
        }

        @Override
        public MapOutputCommitMessage commitAllPartitions(long[] checksums) {
            return MapOutputCommitMessage.of(new long[0]);
        }

        @Override
        public void abort(Throwable error) {
        }
    }

    /**
     * {@code sizes[i]} bytes for map i, {@code slots} maps written at once, chunk by chunk in
     * turn, each moving to its next partition now and then; a slot takes the next map when its
     * own commits.
     */
    private static Outcome write(long budget, long reserve, int slots, long[] sizes) throws IOException {
        int partitions = 200;
        byte[] chunk = new byte[16 << 10];
        CountingFiles files = new CountingFiles();
        try (NativeMapping m = new NativeMapping(budget)) {
            StagedOutputs outputs = new StagedOutputs(new ShuffleArena(m.memory()));
            Random rnd = new Random(7);
            EfaShuffleMapOutputWriter[] writers = new EfaShuffleMapOutputWriter[slots];
            OutputStream[] streams = new OutputStream[slots];
            int[] partition = new int[slots];
            long[] left = new long[slots];
            int next = 0;
            for (boolean busy = true; busy; ) {
                busy = false;
                for (int s = 0; s < slots; s++) {
                    if (writers[s] == null && next < sizes.length) {
                        writers[s] = new EfaShuffleMapOutputWriter(0, next, next, partitions, outputs, reserve,
                                () -> files, out -> { });
                        left[s] = sizes[next++];
                        partition[s] = -1;
                        streams[s] = null;
                    }
                    if (writers[s] == null) {
                        continue;
                    }
                    busy = true;
                    if (streams[s] == null || partition[s] < partitions - 1 && rnd.nextInt(4) == 0) {
                        streams[s] = writers[s].getPartitionWriter(++partition[s]).openStream();
                    }
                    int n = (int) Math.min(chunk.length, left[s]);
                    streams[s].write(chunk, 0, n);
                    left[s] -= n;
                    if (left[s] == 0) {
                        writers[s].commitAllPartitions(null);
                        writers[s] = null;
                    }
                }
            }
            long inMemory = outputs.all().stream().mapToLong(StagedMapOutput::dataLength).sum();
            return new Outcome(files.bytes, inMemory);
        }
    }

    /** Three runs of a job: four large outputs and four small ones each, all kept. */
    private static long[] threeRuns(long large, long small) {
        Random rnd = new Random(3);
        long[] sizes = new long[24];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = i % 8 < 4 ? large + rnd.nextInt((int) (large / 4)) : small;
        }
        return sizes;
    }

    @Test
    void fourWritersAtOnceKeepInMemoryEverythingTheBudgetHolds() throws IOException {
        // Outputs of 20-25 MiB against a 16 MiB reserve: each grows or moves while three others are
        // open beside it. All of them take 71% of the budget (a first fit that doubled sent 24 MiB
        // to files here).
        long[] sizes = threeRuns(20 * MIB, MIB);
        Outcome four = write(380 * MIB, 16 * MIB, 4, sizes);
        assertEquals(0, four.fileBytes(), "bytes that went to files although the budget holds every output");
        assertEquals(Arrays.stream(sizes).sum(), four.memoryBytes());
    }

    @Test
    void aWriterStartsInLessThanItsReserveWhenOnlyTheRangesBetweenOutputsAreLeft() throws IOException {
        try (NativeMapping m = new NativeMapping(40 * MIB)) {
            ShuffleArena arena = new ShuffleArena(m.memory());
            StagedOutputs outputs = new StagedOutputs(arena);
            // 4 MiB ranges between committed outputs, nothing larger.
            List<ShuffleArena.Extent> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                held.add(arena.allocate(8 * MIB));
            }
            held.forEach(e -> arena.trim(e, 4 * MIB));
            CountingFiles files = new CountingFiles();
            EfaShuffleMapOutputWriter w = new EfaShuffleMapOutputWriter(0, 0, 0, 10, outputs, 16 * MIB,
                    () -> files, out -> { });
            w.getPartitionWriter(3).openStream().write(new byte[3 << 20]);
            w.commitAllPartitions(null);
            assertEquals(0, files.bytes, "a 3 MiB output went to files with 20 MiB free in 4 MiB ranges");
            assertEquals(3 << 20, outputs.get(0, 0).dataLength());
        }
    }
}
