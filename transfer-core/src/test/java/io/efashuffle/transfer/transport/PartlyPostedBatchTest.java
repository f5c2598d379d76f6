package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.engine.Transfer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch that a rail refuses halfway (the reads before went to a healthy rail and are in
 * flight): the caller still gets its transfer, whose released() waits for the posted reads,
 * instead of an exception that leaves it no way to know when its memory is free again.
 */
class PartlyPostedBatchTest {
    private static final int READS = 8;

    @Test
    void theCallerGetsTheTransferAndItsMemoryBackOnlyOnceThePostedReadsAreReleased() throws Exception {
        TransportConfig config = TransportConfig.defaults("tcp").withNics(List.of("lo", "lo"));
        try (LoopbackPair pair = new LoopbackPair(config, READS * 65536L)) {
            pair.readerTransport.injectProgressFailure("test"); // rail 0 only; rail 1 carries on
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pair.readerTransport.failure() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Transfer t = null;
            for (int attempt = 0; attempt < 2 && t == null; attempt++) {
                try {
                    t = pair.submitReads(READS); // requests go to the rails in turn
                } catch (RailFailedException e) {
                    // The first request went to the failed rail: nothing was posted, so it may throw.
                    assertTrue(e.getMessage().contains("failed earlier"), e.getMessage());
                }
            }
            assertNotNull(t, "a batch starting on the healthy rail was refused as a whole");
            Transfer transfer = t;
            ExecutionException e = assertThrows(ExecutionException.class, () -> transfer.done().get(30, TimeUnit.SECONDS));
            assertTrue(RailFailedException.isCauseOf(e.getCause()), String.valueOf(e.getCause()));
            transfer.released().get(30, TimeUnit.SECONDS);
            int landed = 0;
            for (int i = 0; i < READS; i++) {
                if (transfer.error(i) == null) {
                    assertTrue(pair.landed(i, READS), "read " + i + " succeeded but its bytes differ");
                    landed++;
                }
            }
            assertTrue(landed >= 1, "no read went to the healthy rail");
        }
    }
}
