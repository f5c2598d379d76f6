package org.apache.spark.shuffle.efa.reader;

/**
 * No receive buffer became free within {@link RetryingFetcher#STARVATION_MILLIS}: the executor's
 * buffers are held by readers that are not being consumed (the other reader of a join in this
 * very task, or readers of other tasks doing the same). Waiting could last forever, so the reader
 * moves the blocks it has not handed out yet to Spark's block transfer, which serves staged blocks
 * too; a block already half handed out is a FetchFailed instead.
 */
final class ReceivePoolStarvedException extends RuntimeException {
    ReceivePoolStarvedException(String message) {
        super(message, null, false, false);
    }
}
