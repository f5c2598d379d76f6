package org.apache.spark.shuffle.efa.reader;

/**
 * A fabric read that failed after its retries; carries which map output it was for, and whose
 * fault it is, which decides what the reader does with the blocks not handed out yet.
 */
final class FabricFetchException extends RuntimeException {
    /** Whose fault a failed read is. */
    enum Fault {
        /** The serving executor's (lost, dead, corrupt, or failing every retry): FetchFailed for the map output. */
        SERVER,
        /** None: the serving executor withdrew the output from the fabric and serves it through Spark's block transfer. */
        WITHDRAWN,
        /** This executor's own fabric failed or closed: every remote block goes through Spark's block transfer. */
        LOCAL
    }

    final MapRead map;
    final Fault fault;

    FabricFetchException(MapRead map, String message, Throwable cause) {
        this(map, message, cause, Fault.SERVER);
    }

    FabricFetchException(MapRead map, String message, Throwable cause, Fault fault) {
        super(message, cause);
        this.map = map;
        this.fault = fault;
    }

    /** A read of a map output whose server withdrew it when {@code withdrawn}, else the server's fault. */
    static FabricFetchException of(MapRead map, String message, Throwable cause, boolean withdrawn) {
        return new FabricFetchException(map, message, cause, withdrawn ? Fault.WITHDRAWN : Fault.SERVER);
    }

    boolean serverAtFault() {
        return fault == Fault.SERVER;
    }
}
