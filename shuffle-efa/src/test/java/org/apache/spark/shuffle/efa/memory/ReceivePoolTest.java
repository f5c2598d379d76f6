package org.apache.spark.shuffle.efa.memory;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceivePoolTest {

    @Test
    void aBufferWhoseReadIsNotReleasedIsNeverHandedOutAgain() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            ReceivePool pool = new ReceivePool(arena.allocate(4 * 1024), 1024);
            MemorySegment held = pool.tryAcquire();
            CompletableFuture<Void> released = new CompletableFuture<>();
            pool.releaseWhen(held, released);
            assertEquals(1, pool.quarantinedBuffers());
            assertEquals(3, pool.freeBuffers());
            Set<Long> handedOut = new HashSet<>();
            MemorySegment b;
            while ((b = pool.tryAcquire()) != null) {
                handedOut.add(b.address());
            }
            assertEquals(3, handedOut.size());
            assertTrue(!handedOut.contains(held.address()), "a quarantined buffer was handed out");
            assertNull(pool.acquire(50, TimeUnit.MILLISECONDS));

            released.complete(null); // the provider let go: the buffer returns, and a waiter gets it
            assertEquals(0, pool.quarantinedBuffers());
            MemorySegment back = pool.acquire(1, TimeUnit.SECONDS);
            assertNotNull(back);
            assertEquals(held.address(), back.address());
        }
    }

    @Test
    void anAlreadyReleasedReadReturnsItsBufferAtOnce() {
        try (Arena arena = Arena.ofConfined()) {
            ReceivePool pool = new ReceivePool(arena.allocate(2 * 1024), 1024);
            MemorySegment b = pool.tryAcquire();
            pool.releaseWhen(b, CompletableFuture.completedFuture(null));
            assertEquals(2, pool.freeBuffers());
            assertEquals(0, pool.quarantinedBuffers());
            assertEquals(2, pool.total());
        }
    }
}
