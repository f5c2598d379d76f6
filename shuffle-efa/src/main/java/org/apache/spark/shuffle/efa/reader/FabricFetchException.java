package org.apache.spark.shuffle.efa.reader;

/** A fabric read that failed after its retries; carries which map output it was for. */
final class FabricFetchException extends RuntimeException {
    final FabricBlockIterator.MapRead map;

    FabricFetchException(FabricBlockIterator.MapRead map, String message, Throwable cause) {
        super(message, cause);
        this.map = map;
    }
}
