package org.apache.spark.shuffle.efa;

import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.fabric.ffi.LibfabricUnavailableException;
import io.efashuffle.transfer.fabric.ffi.fabric_h;
import io.efashuffle.transfer.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartRetryPolicyTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StartRetryPolicy policy =
            new StartRetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 6, now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static FabricException eagain() {
        return new FabricException("fi_endpoint failed: Resource temporarily unavailable", fabric_h.FI_EAGAIN());
    }

    @Test
    void transientFailureIsRetriedAfterOneTwoFourSecondsThenAtTheCap() {
        assertTrue(policy.mayAttempt(), "the first start is always allowed");
        Duration[] expected = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(8)};
        for (Duration wait : expected) {
            assertEquals(Optional.of(wait), policy.failed(eagain()));
            assertFalse(policy.mayAttempt(), "no attempt before the wait is over");
            advance(wait.minusMillis(1));
            assertFalse(policy.mayAttempt());
            advance(Duration.ofMillis(1));
            assertTrue(policy.mayAttempt(), "an attempt once " + wait + " has passed");
        }
        assertEquals(Optional.empty(), policy.failed(eagain()), "the 6th failure is the last");
        assertTrue(policy.givenUp());
        advance(Duration.ofHours(1));
        assertFalse(policy.mayAttempt(), "no attempt after giving up, however long one waits");
    }

    @Test
    void permanentFailureIsNotRetried() {
        assertEquals(Optional.empty(), policy.failed(new LibfabricUnavailableException("no libfabric.so.1", null)));
        assertTrue(policy.givenUp());
        advance(Duration.ofMinutes(10));
        assertFalse(policy.mayAttempt());
    }

    @Test
    void whatCountsAsTransient() {
        assertTrue(StartRetryPolicy.isTransient(eagain()));
        assertTrue(StartRetryPolicy.isTransient(new TransportException("memlock short", fabric_h.FI_ENOMEM())),
                "memlock momentarily short");
        assertTrue(StartRetryPolicy.isTransient(new RuntimeException("rpc", new TimeoutException("driver slow"))),
                "a timeout anywhere in the cause chain");
        assertFalse(StartRetryPolicy.isTransient(new FabricException("provider 'efa' offers no endpoint",
                fabric_h.FI_ENODATA())), "no such provider or domain");
        assertFalse(StartRetryPolicy.isTransient(new FabricException("libfabric too old", fabric_h.FI_ENOSYS())));
        assertFalse(StartRetryPolicy.isTransient(new UnsatisfiedLinkError("libfabric.so.1")));
        assertFalse(StartRetryPolicy.isTransient(new IllegalStateException("unknown")), "unknown is permanent");
    }
}
