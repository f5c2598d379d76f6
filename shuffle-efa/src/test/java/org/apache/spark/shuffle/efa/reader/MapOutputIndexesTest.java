package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MapOutputIndexesTest {
    private static MapOutputLocation location(int shuffleId, long mapId, String segment, int partitions) {
        return new MapOutputLocation(shuffleId, (int) mapId, mapId, "exec-" + segment, segment, 4096, 1000, 1 << 20,
                partitions, 2 << 20);
    }

    private static MapOutputIndexes.Index index(int partitions) {
        long[] offsets = new long[partitions + 1];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = 10L * i;
        }
        return new MapOutputIndexes.Index(offsets, new long[partitions]);
    }

    @Test
    void concurrentRequestersShareOneRead() throws Exception {
        MapOutputIndexes indexes = new MapOutputIndexes();
        MapOutputLocation loc = location(0, 7, "a", 100);
        int tasks = 8;
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch allAsked = new CountDownLatch(tasks);
        MapOutputIndexes.Index read = index(100);
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        try {
            List<Future<MapOutputIndexes.Index>> got = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                got.add(pool.submit(() -> {
                    MapOutputIndexes.Lookup l = indexes.lookup(loc, true);
                    allAsked.countDown();
                    if (l.mine) {
                        reads.incrementAndGet();
                        assertTrue(allAsked.await(10, TimeUnit.SECONDS)); // everyone asks while it is read
                        l.cache(read);
                        return read;
                    }
                    MapOutputIndexes.Index ready = l.ready();
                    return ready != null ? ready : l.await();
                }));
            }
            for (Future<MapOutputIndexes.Index> f : got) {
                assertSame(read, f.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, reads.get(), "one read for all requesters");
        assertSame(read, indexes.lookup(loc, true).ready(), "cached for later tasks");
        assertEquals(read.bytes(), indexes.cachedBytes());
    }

    @Test
    void aFailedReadIsNotCachedAndItsWaitersSeeTheFailure() throws Exception {
        MapOutputIndexes indexes = new MapOutputIndexes();
        MapOutputLocation loc = location(0, 7, "a", 10);
        MapOutputIndexes.Lookup reader = indexes.lookup(loc, true);
        MapOutputIndexes.Lookup waiter = indexes.lookup(loc, true);
        assertTrue(reader.mine);
        assertFalse(waiter.mine);
        RuntimeException failure = new IllegalStateException("index inconsistent with its published length");
        reader.fail(failure);
        ExecutionException seen = assertThrows(ExecutionException.class, waiter::await);
        assertSame(failure, seen.getCause());
        MapOutputIndexes.Lookup next = indexes.lookup(loc, true);
        assertTrue(next.mine, "the next task reads it again");
        assertNull(next.ready());
        assertEquals(0, indexes.cachedBytes());
    }

    @Test
    void aReadGivenUpLetsItsWaitersReadItThemselves() throws Exception {
        MapOutputIndexes indexes = new MapOutputIndexes();
        MapOutputLocation loc = location(0, 7, "a", 10);
        MapOutputIndexes.Lookup reader = indexes.lookup(loc, true);
        MapOutputIndexes.Lookup waiter = indexes.lookup(loc, true);
        reader.abandon();
        reader.abandon(); // idempotent: the reader's cleanup may run after it settled
        assertNull(waiter.await(), "nothing read: the waiter reads it itself");
        assertTrue(indexes.lookup(loc, true).mine);
    }

    @Test
    void withoutClaimNobodyReadsItForTheCache() {
        MapOutputIndexes indexes = new MapOutputIndexes();
        MapOutputLocation loc = location(0, 7, "a", 10);
        assertTrue(indexes.lookup(loc, false).unclaimed());
        assertTrue(indexes.lookup(loc, true).mine, "nothing was claimed by the unclaimed lookup");
    }

    @Test
    void leastRecentlyUsedIndexesAreDroppedBeyondTheCapacity() {
        MapOutputIndexes.Index one = index(100); // 1,608 bytes
        MapOutputIndexes indexes = new MapOutputIndexes(2 * one.bytes());
        MapOutputLocation a = location(0, 1, "s", 100);
        MapOutputLocation b = location(0, 2, "s", 100);
        MapOutputLocation c = location(0, 3, "s", 100);
        indexes.lookup(a, true).cache(one);
        indexes.lookup(b, true).cache(one);
        assertNotNull(indexes.lookup(a, true).ready()); // a used last: b goes first
        indexes.lookup(c, true).cache(one);
        assertEquals(2 * one.bytes(), indexes.cachedBytes());
        assertNotNull(indexes.lookup(a, true).ready());
        assertNotNull(indexes.lookup(c, true).ready());
        assertTrue(indexes.lookup(b, true).mine, "b was evicted");
    }

    @Test
    void anIndexLargerThanTheCapacityIsHandedToWaitersButNotKept() throws Exception {
        MapOutputIndexes indexes = new MapOutputIndexes(100);
        MapOutputLocation loc = location(0, 7, "a", 100);
        MapOutputIndexes.Lookup reader = indexes.lookup(loc, true);
        MapOutputIndexes.Lookup waiter = indexes.lookup(loc, true);
        MapOutputIndexes.Index big = index(100);
        reader.cache(big);
        assertSame(big, waiter.await());
        assertEquals(0, indexes.cachedBytes());
        assertEquals(0, indexes.size());
    }

    @Test
    void removeShuffleAndForgetSegmentDropTheirIndexes() throws Exception {
        MapOutputIndexes indexes = new MapOutputIndexes();
        MapOutputLocation s0a = location(0, 1, "a", 10);
        MapOutputLocation s0b = location(0, 2, "b", 10);
        MapOutputLocation s1a = location(1, 3, "a", 10);
        MapOutputLocation s1b = location(1, 4, "b", 10);
        for (MapOutputLocation l : List.of(s0a, s0b, s1a)) {
            indexes.lookup(l, true).cache(index(10));
        }
        MapOutputIndexes.Lookup inFlight = indexes.lookup(s1b, true);
        MapOutputIndexes.Lookup waiter = indexes.lookup(s1b, true);

        indexes.removeShuffle(0);
        assertTrue(indexes.lookup(s0a, false).unclaimed());
        assertTrue(indexes.lookup(s0b, false).unclaimed());
        assertNotNull(indexes.lookup(s1a, false).ready());

        indexes.forgetSegment("b"); // drops the in-flight read too: its result is not kept
        inFlight.cache(index(10));
        assertNotNull(waiter.await(), "a waiter still gets what was read");
        assertTrue(indexes.lookup(s1b, false).unclaimed());
        indexes.forgetSegment("a");
        assertTrue(indexes.lookup(s1a, false).unclaimed());
        assertEquals(0, indexes.cachedBytes());
        assertEquals(0, indexes.size());
    }

    @Test
    void onlySmallIndexesAreSharedWhole() {
        assertTrue(MapOutputIndexes.shareable(location(0, 1, "a", 3000), 4 << 20)); // 48 KiB with checksums
        assertFalse(MapOutputIndexes.shareable(location(0, 1, "a", 12000), 4 << 20));
        assertFalse(MapOutputIndexes.shareable(location(0, 1, "a", 3000), 16 << 10), "larger than a buffer");
        MapOutputLocation noChecksums = new MapOutputLocation(0, 1, 1, "e", "a", 0, 10, 0, 8000, 0);
        assertTrue(MapOutputIndexes.shareable(noChecksums, 4 << 20));
        assertArrayEquals(new long[8001], MapOutputIndexes.Index.empty(noChecksums).offsets());
        assertNull(MapOutputIndexes.Index.empty(noChecksums).checksums());
    }
}
