package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.transport.PeerLostException;
import io.efashuffle.transfer.transport.RailFailedException;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext$;
import org.apache.spark.executor.TempShuffleReadMetrics;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.SerializerManager;
import org.apache.spark.shuffle.FetchFailedException;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.BlockManagerId$;
import org.apache.spark.storage.ShuffleBlockBatchId;
import org.apache.spark.storage.ShuffleBlockId;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.Tuple2;
import scala.Tuple3;
import scala.jdk.javaapi.CollectionConverters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader's coordinator against a scripted fabric: every block arrives intact, in place of
 * Spark's fetcher where the fabric cannot serve it, and blame reaches only a server at fault:
 * this executor's own failures and a starved pool never become a FetchFailed against a healthy
 * executor, before or after part of a stream is handed out. Every buffer and lease comes back.
 * (The same paths run on real executors in ReaderFaultsSuite.)
 */
class FabricBlockIteratorTest {
    private static final int SHUFFLE = 3;
    private static final int PARTITIONS = 6;
    private static final int FIRST = 1; // the task reads partitions FIRST..LAST of every map
    private static final int LAST = 4;
    private static final long BUFFER = 1024;
    private static final int BUFFERS = 8;
    private static final String CHECKSUM = "ADLER32";
    private static final long DATA_AT = 64; // a checksum address is never 0 (0: none)

    private final ScriptedFabric fabric = new ScriptedFabric(BUFFERS, BUFFER);
    /** partitions.get(mapId)[reduceId]: the bytes the map wrote for that partition. */
    private final Map<Long, byte[][]> partitions = new LinkedHashMap<>();
    private final List<MapRead> maps = new ArrayList<>();
    private final Set<String> goneExecutors = new HashSet<>();
    private final Set<String> withdrawnExecutors = new HashSet<>();
    private final List<BlockId> askedOfSpark = new ArrayList<>();
    private final ShuffleCounts.Tally counters = new ShuffleCounts.Tally();
    private final TempShuffleReadMetrics metrics = new TempShuffleReadMetrics();
    private long timeoutMillis = 2_000;

    FabricBlockIteratorTest() {
        // Two executors with two map outputs each. With 1 KiB buffers, the first map's requested
        // range (partitions 1-4: 700, 300, 2400, 500 bytes) is four pieces: blocks 1 and 2 lie in
        // the first, block 3 spans all four (two taken before it is handed out, the reserve), block
        // 4 lies in the last. The other maps' partitions are a few bytes longer each.
        Random random = new Random(42);
        int[] sizes = {100, 700, 300, 2400, 500, 90};
        for (int e = 1; e <= 2; e++) {
            List<byte[][]> outputs = new ArrayList<>();
            List<Long> mapIds = new ArrayList<>();
            for (int m = 0; m < 2; m++) {
                long mapId = 10L * e + m;
                byte[][] parts = new byte[PARTITIONS][];
                for (int p = 0; p < PARTITIONS; p++) {
                    parts[p] = new byte[sizes[p] + 13 * (2 * (e - 1) + m)];
                    random.nextBytes(parts[p]);
                }
                partitions.put(mapId, parts);
                outputs.add(parts);
                mapIds.add(mapId);
            }
            addExecutor(String.valueOf(e), "segment-" + e, mapIds, outputs);
        }
    }

    /** Where partition {@code r} of {@code m} starts within the task's range of that map's data. */
    private long inRange(MapRead m, int r) {
        byte[][] parts = partitions.get(m.location.mapId());
        long at = 0;
        for (int p = FIRST; p < r; p++) {
            at += parts[p].length;
        }
        return at;
    }

    /** The remote address of the {@code k}th piece of {@code m}'s range. */
    private long pieceAddress(MapRead m, int k) {
        return m.location.dataAddress() + partitions.get(m.location.mapId())[0].length + k * BUFFER;
    }

    /** Lays an executor's map outputs in one segment as the map-side writer does: data, index, checksums. */
    private void addExecutor(String executorId, String segment, List<Long> mapIds, List<byte[][]> outputs) {
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16).order(ByteOrder.nativeOrder());
        bytes.position((int) DATA_AT);
        BlockManagerId address = BlockManagerId$.MODULE$.apply(executorId, "host-" + executorId, 7000, Option.empty());
        for (int m = 0; m < outputs.size(); m++) {
            byte[][] parts = outputs.get(m);
            long data = bytes.position();
            long[] offsets = new long[PARTITIONS + 1];
            for (int p = 0; p < PARTITIONS; p++) {
                bytes.put(parts[p]);
                offsets[p + 1] = offsets[p] + parts[p].length;
            }
            long index = bytes.position();
            for (long o : offsets) {
                bytes.putLong(o);
            }
            long checksums = bytes.position();
            for (byte[] part : parts) {
                BlockChecksum c = new BlockChecksum(CHECKSUM, 0);
                c.update(part, 0, part.length);
                bytes.putLong(c.value());
            }
            MapOutputLocation location = new MapOutputLocation(SHUFFLE, maps.size(), mapIds.get(m), executorId, segment,
                    data, offsets[PARTITIONS], index, PARTITIONS, checksums);
            MapRead read = new MapRead(location, address, null);
            for (int r = FIRST; r <= LAST; r++) {
                read.add(new ShuffleBlockId(SHUFFLE, mapIds.get(m), r), parts[r].length);
            }
            maps.add(read);
        }
        fabric.addSegment(segment, java.util.Arrays.copyOf(bytes.array(), bytes.position()));
    }

    private FabricBlockIterator reader(boolean batched) {
        SparkConf conf = new SparkConf(false).set("spark.shuffle.compress", "false");
        ReduceTask task = new ReduceTask(TaskContext$.MODULE$.empty(),
                new SerializerManager(new JavaSerializer(conf), conf), metrics, counters,
                new ReaderSettings(48L << 20, 2, 1, timeoutMillis, CHECKSUM));
        RetryingFetcher.Peers peers = new RetryingFetcher.Peers() {
            @Override
            public PeerState latest(MapRead m) {
                return fresh(m);
            }

            @Override
            public PeerState fresh(MapRead m) {
                String e = m.location.executorId();
                return goneExecutors.contains(e) ? PeerState.GONE
                        : withdrawnExecutors.contains(e) ? PeerState.WITHDRAWN : PeerState.SERVING;
            }
        };
        WithdrawnOutputs.SparkFetcher spark = blocks -> {
            List<Tuple2<BlockId, InputStream>> served = new ArrayList<>();
            for (var byAddress : blocks) {
                for (Tuple3<BlockId, Object, Object> b : byAddress._2()) {
                    ShuffleBlockId id = (ShuffleBlockId) b._1();
                    askedOfSpark.add(id);
                    served.add(new Tuple2<>(id, new ByteArrayInputStream(partitions.get(id.mapId())[id.reduceId()])));
                }
            }
            return CollectionConverters.asScala(served.iterator());
        };
        return new FabricBlockIterator(task, fabric, maps, peers, spark, new MapOutputIndexes(), batched);
    }

    /** Reads every stream the iterator hands out; each block's bytes by (map id, reduce id). */
    private Map<List<Long>, byte[]> readAll(FabricBlockIterator it) throws IOException {
        Map<List<Long>, byte[]> read = new LinkedHashMap<>();
        while (it.hasNext()) {
            Tuple2<BlockId, InputStream> next = it.next();
            byte[] bytes = next._2().readAllBytes();
            if (next._1() instanceof ShuffleBlockBatchId batch) {
                int at = 0;
                for (int r = batch.startReduceId(); r < batch.endReduceId(); r++) {
                    int n = partitions.get(batch.mapId())[r].length;
                    read.put(List.of(batch.mapId(), (long) r), java.util.Arrays.copyOfRange(bytes, at, at + n));
                    at += n;
                }
                assertEquals(at, bytes.length, "a batch stream holds exactly its blocks");
            } else {
                ShuffleBlockId id = (ShuffleBlockId) next._1();
                assertFalse(read.containsKey(List.of(id.mapId(), (long) id.reduceId())), "handed out twice: " + id);
                read.put(List.of(id.mapId(), (long) id.reduceId()), bytes);
            }
        }
        return read;
    }

    private void assertEveryBlockIntact(Map<List<Long>, byte[]> read) {
        assertEquals(maps.size() * (LAST - FIRST + 1), read.size());
        partitions.forEach((mapId, parts) -> {
            for (int r = FIRST; r <= LAST; r++) {
                assertArrayEquals(parts[r], read.get(List.of(mapId, (long) r)), "map " + mapId + " partition " + r);
            }
        });
    }

    /** After the task's end: every buffer back in the pool, every lease closed. */
    private void assertAllGivenBack(FabricBlockIterator it) {
        it.releaseAll();
        assertEquals(BUFFERS, fabric.receivePool().freeBuffers(), "receive buffers back in the pool");
        assertEquals(0, fabric.leasesOpen, "segment leases closed");
    }

    /** The executor a FetchFailed names, whose map outputs Spark then recomputes. */
    private static String blamed(FetchFailedException e) {
        return ((org.apache.spark.FetchFailed) e.toTaskFailedReason()).bmAddress().executorId();
    }

    @Test
    void everyBlockArrivesIntactBlockByBlockAndInRuns() throws IOException {
        for (boolean batched : new boolean[] {false, true}) {
            counters.snapshot();
            FabricBlockIterator it = reader(batched);
            assertEveryBlockIntact(readAll(it));
            assertTrue(askedOfSpark.isEmpty(), "nothing went through Spark's fetcher");
            assertAllGivenBack(it);
        }
        assertTrue(counters.snapshot().get(ShuffleCounter.BATCHED_STREAMS) > 0, "runs were handed out as one stream");
    }

    @Test
    void thisExecutorsFabricFailingBeforeAnythingIsReadSendsEveryBlockThroughSparksFetcher() throws IOException {
        fabric.failSubmitsFrom = 0;
        FabricBlockIterator it = reader(true);
        assertEveryBlockIntact(readAll(it));
        assertEquals(maps.size() * (LAST - FIRST + 1), askedOfSpark.size());
        assertAllGivenBack(it);
    }

    @Test
    void thisExecutorsFabricFailingAfterTheIndexesSendsTheRestThroughSparksFetcher() throws IOException {
        fabric.failSubmitsFrom = 1; // the index batch is read, no data read can be posted
        FabricBlockIterator it = reader(false);
        assertEveryBlockIntact(readAll(it)); // no FetchFailedException against either healthy executor
        assertEquals(maps.size() * (LAST - FIRST + 1), askedOfSpark.size());
        assertAllGivenBack(it);
    }

    @Test
    void thisExecutorsFabricFailingBetweenMapOutputsSendsOnlyTheRestThroughSparksFetcher() throws IOException {
        fabric.failSubmitsFrom = 5; // the index batch and the first map's four pieces, prefetched
        FabricBlockIterator it = reader(true);
        assertEveryBlockIntact(readAll(it));
        assertEquals((maps.size() - 1) * (LAST - FIRST + 1), askedOfSpark.size(), "all but the first map's blocks");
        assertTrue(askedOfSpark.stream().noneMatch(b -> ((ShuffleBlockId) b).mapId() == 10));
        assertAllGivenBack(it);
    }

    @Test
    void thisExecutorsRailFailingUnderAHandedOutStreamFailsTheTaskWithoutNamingTheServer() throws IOException {
        // Block 3 of the first map is handed out with two of its four pieces; its third fails
        // as the watchdog fails a stalled rail's reads.
        long thirdPiece = pieceAddress(maps.getFirst(), 2);
        fabric.script = read -> read.address() == thirdPiece
                ? new RuntimeException(new RailFailedException("rail 0 stalled (scripted)", -110))
                : ScriptedFabric.Outcome.LAND;
        FabricBlockIterator it = reader(false);
        Throwable e = assertThrows(Throwable.class, () -> readAll(it));
        assertFalse(e instanceof FetchFailedException, "no FetchFailed against a healthy executor: " + e);
        assertInstanceOf(IllegalStateException.class, e);
        assertTrue(e.getMessage().contains("not at fault"), e.getMessage());
        assertAllGivenBack(it);
    }

    @Test
    void anOutputWithdrawnUnderAHandedOutStreamFailsTheTaskWithoutNamingTheServer() {
        withdrawnExecutors.add("1");
        long thirdPiece = pieceAddress(maps.getFirst(), 2);
        fabric.script = read -> read.address() == thirdPiece
                ? new PeerLostException("segment withdrawn (scripted)", -107) : ScriptedFabric.Outcome.LAND;
        FabricBlockIterator it = reader(true);
        Throwable e = assertThrows(Throwable.class, () -> readAll(it));
        assertFalse(e instanceof FetchFailedException, "no FetchFailed for a withdrawn output: " + e);
        assertTrue(e.getMessage().contains("withdrew its outputs"), e.getMessage());
        assertAllGivenBack(it);
    }

    @Test
    void aServerThatIsGoneIsAFetchFailedAgainstItsMapOutputOnly() {
        goneExecutors.add("2");
        fabric.script = read -> read.segment().equals("segment-2")
                ? new PeerLostException("peer gone (scripted)", -107) : ScriptedFabric.Outcome.LAND;
        FabricBlockIterator it = reader(true);
        FetchFailedException e = assertThrows(FetchFailedException.class, () -> readAll(it));
        assertEquals("2", blamed(e));
        assertTrue(fabric.forgotten.contains("segment-2"));
        assertFalse(fabric.forgotten.contains("segment-1"));
        assertAllGivenBack(it);
    }

    @Test
    void outputsWithdrawnBeforeTheirIndexIsReadGoThroughSparksFetcher() throws IOException {
        withdrawnExecutors.add("2");
        fabric.script = read -> read.segment().equals("segment-2")
                ? new PeerLostException("segment withdrawn (scripted)", -107) : ScriptedFabric.Outcome.LAND;
        FabricBlockIterator it = reader(true);
        assertEveryBlockIntact(readAll(it));
        assertEquals(2 * (LAST - FIRST + 1), askedOfSpark.size(), "executor 2's blocks, all of them");
        assertTrue(askedOfSpark.stream().allMatch(b -> ((ShuffleBlockId) b).mapId() >= 20));
        assertAllGivenBack(it);
    }

    @Test
    void aChecksumMismatchIsReadAgainOnceAndASecondIsAFetchFailed() throws IOException {
        // Block 2 of the first map lies wholly in its first piece: checked as soon as it lands.
        MapRead first = maps.getFirst();
        long piece = pieceAddress(first, 0);
        ScriptedFabric.Flip flip = new ScriptedFabric.Flip(inRange(first, 2) + 10);
        int[] damaged = {0};
        fabric.script = read -> read.address() == piece && damaged[0]++ == 0 ? flip : ScriptedFabric.Outcome.LAND;
        FabricBlockIterator once = reader(false);
        assertEveryBlockIntact(readAll(once));
        assertEquals(1, counters.snapshot().get(ShuffleCounter.RETRIES), "read once more");
        assertAllGivenBack(once);

        fabric.script = read -> read.address() == piece ? flip : ScriptedFabric.Outcome.LAND;
        FabricBlockIterator always = reader(false);
        FetchFailedException e = assertThrows(FetchFailedException.class, () -> readAll(always));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertEquals("1", blamed(e));
        assertTrue(e.getMessage().contains("shuffle_3_10_2"), e.getMessage());
        assertAllGivenBack(always);
    }

    @Test
    void aStarvedReceivePoolSendsTheBlocksThroughSparksFetcher() throws IOException {
        timeoutMillis = 100;
        List<java.lang.foreign.MemorySegment> taken = new ArrayList<>();
        for (int i = 0; i < BUFFERS; i++) {
            taken.add(fabric.receivePool().tryAcquire()); // other readers hold every buffer
        }
        FabricBlockIterator it = reader(true);
        assertEveryBlockIntact(readAll(it));
        assertEquals(maps.size() * (LAST - FIRST + 1), askedOfSpark.size());
        taken.forEach(fabric.receivePool()::release);
        assertAllGivenBack(it);
    }

    @Test
    void aTaskEndingWithReadsInFlightGivesTheirBuffersBackWhenTheProviderLetsGo() throws IOException {
        long second = pieceAddress(maps.getFirst(), 1);
        fabric.script = read -> read.address() == second ? ScriptedFabric.Outcome.HOLD : ScriptedFabric.Outcome.LAND;
        FabricBlockIterator it = reader(false);
        assertTrue(it.hasNext()); // indexes read, the first data reads issued ahead and held
        int heldReads = fabric.held.size();
        assertEquals(1, heldReads);
        it.releaseAll();
        assertEquals(heldReads, fabric.receivePool().quarantinedBuffers(), "held until the provider lets go");
        assertEquals(0, fabric.leasesOpen);
        fabric.releaseHeld();
        assertEquals(BUFFERS, fabric.receivePool().freeBuffers());
        assertThrows(IllegalStateException.class, it::hasNext, "an ended task's reader refuses to go on");
    }
}
