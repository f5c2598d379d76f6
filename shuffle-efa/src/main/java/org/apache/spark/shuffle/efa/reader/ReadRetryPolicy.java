package org.apache.spark.shuffle.efa.reader;

import java.util.function.IntPredicate;

/**
 * What a reduce task does when a fabric read attempt ends badly, and whom it blames. Retry a
 * transient failure, a timeout (a paused or congested peer answers later) or a broken connection
 * to a peer that is still there (tcp connects again) up to {@code fetch.retries} times; give up at
 * once when the serving executor was found gone (the caller asks before it asks this policy).
 * Giving up is a FetchFailed for the map output of the request that failed, so Spark recomputes
 * that one and not a healthy neighbour's.
 */
final class ReadRetryPolicy {
    private final int retries;

    ReadRetryPolicy(int retries) {
        this.retries = retries;
    }

    /**
     * @param attempt  the attempt that just ended badly, from 1
     * @param failure  its failure, or null when its serving executor was found gone while it waited
     * @return whether to post the read again
     */
    boolean retry(int attempt, Throwable failure) {
        return failure != null && attempt <= retries;
    }

    /**
     * Which of {@code size} requests submitted together to blame: the first that failed, else the
     * first still without an outcome (the one that timed out), else the first.
     */
    static int culprit(int size, IntPredicate failed, IntPredicate done) {
        for (int i = 0; i < size; i++) {
            if (failed.test(i)) {
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (!done.test(i)) {
                return i;
            }
        }
        return 0;
    }
}
