package org.apache.spark.shuffle.efa;

import org.apache.spark.SparkConf;
import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.network.shuffle.checksum.Cause;
import org.apache.spark.network.shuffle.checksum.ShuffleChecksumHelper;
import org.apache.spark.shuffle.IndexShuffleBlockResolver;
import org.apache.spark.shuffle.efa.memory.NativeMapping;
import org.apache.spark.shuffle.efa.writer.EfaShuffleMapOutputWriter;
import org.apache.spark.shuffle.efa.writer.ShuffleArena;
import org.apache.spark.shuffle.efa.writer.StagedMapOutput;
import org.apache.spark.shuffle.efa.writer.StagedOutputs;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.ShuffleBlockBatchId;
import org.apache.spark.storage.ShuffleBlockId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.Checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resolver serving staged map outputs (Spark's Netty path) written by the real writer into a
 * real arena: in-range reduce ids get exactly their partitions, out-of-range ones are refused
 * before any index entry is read, although the arena holds readable bytes right after the index
 * (the next map output's) that a read past it would have served.
 */
class EfaShuffleBlockResolverTest {
    private static final int SHUFFLE = 7;
    private static final long MAP = 41L;
    private static final long NEXT_MAP = 42L;
    private static final int PARTITIONS = 4;

    private NativeMapping mapping;
    private StagedOutputs staged;
    private EfaShuffleBlockResolver resolver;

    @BeforeEach
    void stageTwoMapOutputs() throws IOException {
        mapping = new NativeMapping(1 << 20);
        staged = new StagedOutputs(new ShuffleArena(mapping.memory()));
        write(MAP);
        write(NEXT_MAP);
        SparkConf conf = new SparkConf().set("spark.shuffle.checksum.algorithm", "ADLER32");
        resolver = new EfaShuffleBlockResolver(conf, new IndexShuffleBlockResolver(conf), () -> staged);
    }

    @AfterEach
    void free() {
        mapping.close();
    }

    @Test
    void inRangeIdsGetExactlyTheirPartitions() throws IOException {
        for (int r = 0; r < PARTITIONS; r++) {
            assertEquals(partition(MAP, r), read(new ShuffleBlockId(SHUFFLE, MAP, r)));
        }
        assertEquals(partition(MAP, 1) + partition(MAP, 2), read(new ShuffleBlockBatchId(SHUFFLE, MAP, 1, 3)));
        assertEquals(partition(MAP, 0) + partition(MAP, 1) + partition(MAP, 2) + partition(MAP, 3),
                read(new ShuffleBlockBatchId(SHUFFLE, MAP, 0, PARTITIONS)));
    }

    @Test
    void outOfRangeIdsAreRefused() {
        for (BlockId block : new BlockId[] {
                new ShuffleBlockId(SHUFFLE, MAP, PARTITIONS), // the index's last entry: the data's end
                new ShuffleBlockId(SHUFFLE, MAP, PARTITIONS + 1), // past the index
                new ShuffleBlockId(SHUFFLE, MAP, -1),
                new ShuffleBlockId(SHUFFLE, MAP, Integer.MAX_VALUE),
                new ShuffleBlockBatchId(SHUFFLE, MAP, 0, PARTITIONS + 1),
                new ShuffleBlockBatchId(SHUFFLE, MAP, 2, 1),
                new ShuffleBlockBatchId(SHUFFLE, MAP, -1, 2)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> resolver.getBlockData(block, Option.empty()), block + " was not refused");
            assertTrue(e.getMessage().startsWith("refused " + block), e.getMessage());
        }
    }

    @Test
    void stagedIndexIsNeverReadPastItsEnd() {
        StagedMapOutput out = staged.get(SHUFFLE, MAP);
        assertThrows(IndexOutOfBoundsException.class, () -> out.partitionOffset(staged.arena().memory(), PARTITIONS + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> out.partitionOffset(staged.arena().memory(), -1));
    }

    /**
     * Spark's own corruption diagnosis (the checksum file the resolver names, the block it serves)
     * answers for a staged block as for a file: the writer's recorded checksum against the bytes
     * held now and against the reader's.
     */
    @Test
    void sparksCorruptionDiagnosisNamesTheCauseForAStagedBlock(@TempDir Path dir) throws IOException {
        String algorithm = "ADLER32";
        long checked = 43L;
        write(checked, algorithm);
        ShuffleBlockId block = new ShuffleBlockId(SHUFFLE, checked, 2);
        long good = checksum(algorithm, partition(checked, 2));
        File file = resolver.withStagedChecksums(dir.resolve("checksum").toFile(), SHUFFLE, checked, algorithm, true);

        assertEquals(Cause.CHECKSUM_VERIFY_PASS, diagnose(file, block, good, algorithm));
        assertEquals(Cause.NETWORK_ISSUE, diagnose(file, block, good + 1, algorithm));
        assertEquals(Cause.UNSUPPORTED_CHECKSUM_ALGORITHM, diagnose(file, block, good, "NO-SUCH-ALGORITHM"));
        File none = resolver.withStagedChecksums(dir.resolve("none").toFile(), SHUFFLE, MAP, algorithm, true);
        assertEquals(Cause.UNKNOWN_ISSUE, diagnose(none, new ShuffleBlockId(SHUFFLE, MAP, 2), good, algorithm),
                "an output staged without checksums");
        File other = resolver.withStagedChecksums(dir.resolve("crc").toFile(), SHUFFLE, checked, "CRC32", true);
        assertFalse(other.exists(), "another algorithm than the writer's: nothing to compare with");

        StagedMapOutput out = staged.get(SHUFFLE, checked);
        MemorySegment memory = staged.arena().memory();
        long at = out.extent().offset() + out.partitionOffset(memory, 2) + 3;
        memory.set(ValueLayout.JAVA_BYTE, at, (byte) (memory.get(ValueLayout.JAVA_BYTE, at) ^ 0x10));
        assertEquals(Cause.DISK_ISSUE, diagnose(file, block, good, algorithm));
        assertEquals(Cause.CHECKSUM_VERIFY_PASS, diagnose(file, new ShuffleBlockId(SHUFFLE, checked, 1),
                checksum(algorithm, partition(checked, 1)), algorithm), "its neighbour is intact");
    }

    /** What Spark's BlockManager does to diagnose a corrupt shuffle block. */
    private Cause diagnose(File checksumFile, ShuffleBlockId block, long byReader, String algorithm) {
        return ShuffleChecksumHelper.diagnoseCorruption(algorithm, checksumFile, block.reduceId(),
                resolver.getBlockData(block, Option.empty()), byReader);
    }

    private static long checksum(String algorithm, String bytes) {
        Checksum c = ShuffleChecksumHelper.getChecksumByAlgorithm(algorithm);
        c.update(bytes.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }

    private void write(long mapId) throws IOException {
        write(mapId, null);
    }

    /** Writes a map output with the real writer; with Spark's checksums in {@code algorithm} unless null. */
    private void write(long mapId, String algorithm) throws IOException {
        EfaShuffleMapOutputWriter writer = new EfaShuffleMapOutputWriter(SHUFFLE, (int) mapId, mapId, PARTITIONS, staged,
                4096, () -> {
                    throw new AssertionError("the arena holds both outputs");
                }, out -> { });
        for (int r = 0; r < PARTITIONS; r++) {
            try (OutputStream s = writer.getPartitionWriter(r).openStream()) {
                s.write(partition(mapId, r).getBytes(StandardCharsets.UTF_8));
            }
        }
        long[] checksums = new long[algorithm == null ? 0 : PARTITIONS];
        for (int r = 0; r < checksums.length; r++) {
            checksums[r] = checksum(algorithm, partition(mapId, r));
        }
        writer.commitAllPartitions(checksums);
    }

    /** Distinct bytes per map output and partition, of different lengths. */
    private static String partition(long mapId, int reduceId) {
        return ("map" + mapId + "-reduce" + reduceId + ";").repeat(reduceId + 1);
    }

    private String read(BlockId block) throws IOException {
        ManagedBuffer buffer = resolver.getBlockData(block, Option.empty());
        ByteBuffer bytes = buffer.nioByteBuffer();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return new String(array, StandardCharsets.UTF_8);
    }
}
