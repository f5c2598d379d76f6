package org.apache.spark.shuffle.efa.reader;

/**
 * A fabric read that failed after its retries; carries which map output it was for, and whether
 * its executor withdrew it (its fabric failed: Spark's block transfer still serves it).
 */
final class FabricFetchException extends RuntimeException {
    final MapRead map;
    final boolean withdrawn;

    FabricFetchException(MapRead map, String message, Throwable cause) {
        this(map, message, cause, false);
    }

    FabricFetchException(MapRead map, String message, Throwable cause, boolean withdrawn) {
        super(message, cause);
        this.map = map;
        this.withdrawn = withdrawn;
    }
}
