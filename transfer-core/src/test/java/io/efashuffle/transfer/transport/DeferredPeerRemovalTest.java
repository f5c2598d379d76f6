package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.engine.Transfer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer's address leaves the address vector once nothing uses it, also when a read to it timed
 * out and the provider still holds it: the removal waits for the provider to let go, instead of
 * leaving the entry for ever (what executor churn would pile up). Over tcp the server must make
 * progress for a read to complete, so a stalled server holds the reader's reads.
 */
class DeferredPeerRemovalTest {
    private static final TransportConfig CONFIG = TransportConfig.defaults("tcp")
            .withOperationTimeout(Duration.ofMillis(500));

    @Test
    void anAddressClosedUnderAHeldReadLeavesTheAddressVectorWhenTheProviderLetsGo() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(CONFIG, 4 * 65536L)) {
            pair.readAllIn(4); // connected, the address in use
            CountDownLatch resume = new CountDownLatch(1);
            pair.serverTransport.injectProgressStall(resume);
            Transfer held = pair.submitReads(4);
            ExecutionException e = assertThrows(ExecutionException.class, () -> held.done().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof OperationTimeoutException, String.valueOf(e.getCause()));
            assertFalse(held.released().isDone(), "the provider let go of reads to a stalled server");

            pair.closeSegment(pair.segment);
            assertEquals(0, pair.readerTransport.peerAddresses(), "the closed segment still names its peer");
            assertEquals(1, pair.readerTransport.addressesAwaitingRelease(), "removed while the provider held reads to it");

            resume.countDown();
            held.released().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pair.readerTransport.addressesAwaitingRelease() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, pair.readerTransport.addressesAwaitingRelease(), "the address stayed after its last read was released");
        }
    }

    @Test
    void anAddressOpenedAgainWhileItsRemovalWaitsIsTakenBackAndServesReads() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(CONFIG, 4 * 65536L)) {
            pair.readAllIn(4);
            CountDownLatch resume = new CountDownLatch(1);
            pair.serverTransport.injectProgressStall(resume);
            Transfer held = pair.submitReads(4);
            assertThrows(ExecutionException.class, () -> held.done().get(30, TimeUnit.SECONDS));
            pair.closeSegment(pair.segment);
            assertEquals(1, pair.readerTransport.addressesAwaitingRelease());
            long again = pair.openServerAgain();
            assertEquals(0, pair.readerTransport.addressesAwaitingRelease(), "the address was not taken back");
            assertEquals(1, pair.readerTransport.peerAddresses());
            resume.countDown();
            held.released().get(30, TimeUnit.SECONDS);
            pair.readAt(again, 0, 0, 65536); // the address taken back was not removed under its new user
            pair.closeSegment(again);
            assertEquals(0, pair.readerTransport.peerAddresses());
            assertEquals(0, pair.readerTransport.addressesAwaitingRelease());
        }
    }
}
