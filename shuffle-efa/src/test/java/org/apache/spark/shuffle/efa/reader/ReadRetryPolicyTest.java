package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.transport.OperationTimeoutException;
import io.efashuffle.transfer.transport.PeerLostException;
import io.efashuffle.transfer.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadRetryPolicyTest {
    private final ReadRetryPolicy policy = new ReadRetryPolicy(3);

    @Test
    void aTimeoutIsRetriedUntilTheRetriesAreUsedUp() {
        OperationTimeoutException timeout = new OperationTimeoutException("late", 110);
        assertTrue(policy.retry(1, timeout));
        assertTrue(policy.retry(3, timeout));
        assertFalse(policy.retry(4, timeout), "4 attempts with fetch.retries=3");
    }

    @Test
    void aTransientErrorIsRetried() {
        assertTrue(policy.retry(1, new TransportException("EIO", 5)));
    }

    @Test
    void aBrokenConnectionToALivePeerIsRetriedAGoneExecutorNever() {
        PeerLostException reset = new PeerLostException("reset", 104);
        assertTrue(policy.retry(1, reset), "the caller found the executor still there: connect again");
        assertFalse(policy.retry(4, reset), "a connection that keeps breaking is a persistent failure");
        assertFalse(policy.retry(1, null), "found gone while waiting");
    }

    @Test
    void noRetriesMeansTheFirstFailureGivesUp() {
        assertFalse(new ReadRetryPolicy(0).retry(1, new TransportException("EIO", 5)));
    }

    @Test
    void blameGoesToTheRequestThatFailedNotTheFirst() {
        Set<Integer> failed = Set.of(2);
        assertEquals(2, ReadRetryPolicy.culprit(4, failed::contains, i -> true));
    }

    @Test
    void withoutAFailureBlameGoesToTheFirstRequestStillWaiting() {
        Set<Integer> done = Set.of(0, 1, 3);
        assertEquals(2, ReadRetryPolicy.culprit(4, i -> false, done::contains));
        assertEquals(0, ReadRetryPolicy.culprit(4, i -> false, i -> true));
    }
}
