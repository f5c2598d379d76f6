package org.apache.spark.shuffle.efa.reader;

/** What a waiting read knows of the executor serving it ({@link PeerProbes}). */
public enum PeerState {
    /** Still there and still publishing its outputs on the fabric (or nothing says otherwise). */
    SERVING,
    /** Dead: its block manager port refuses connections. A FetchFailed, as with Spark's fetcher. */
    GONE,
    /** Alive, but it withdrew its outputs from the fabric: Spark's fetcher reads them. */
    WITHDRAWN
}
