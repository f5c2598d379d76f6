package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.FetchFailedException;
import org.apache.spark.shuffle.efa.registry.MapOutputLocation;
import org.apache.spark.shuffle.efa.sparkapi.Unchecked;
import org.apache.spark.storage.BlockId;

import java.io.IOException;

/**
 * The one place a reader decides what a failed read becomes for Spark: a FetchFailed against the
 * serving executor (Spark recomputes its map output) only when that executor is at fault; a plain
 * task failure (Spark runs the task again) when it is not, once part of a stream is handed out.
 */
final class FetchFailures {
    private final SegmentLeases leases;
    private final String checksumAlgorithm;

    FetchFailures(SegmentLeases leases, String checksumAlgorithm) {
        this.leases = leases;
        this.checksumAlgorithm = checksumAlgorithm;
    }

    /** Throws the FetchFailedException Spark recomputes the failed read's map output from. */
    RuntimeException fetchFailed(FabricFetchException e) {
        MapRead m = e.map;
        leases.forget(m.location.segmentName());
        return Unchecked.raise(new FetchFailedException(m.address, m.location.shuffleId(), m.location.mapId(),
                m.location.mapIndex(), m.first(), e.getMessage(), e));
    }

    /**
     * A read failure once part of a stream is handed out, which can no longer go to Spark's
     * fetcher instead. The serving executor's fault is a FetchFailed for its map output. Any other
     * cause (this executor's own fabric failed, the output was withdrawn, the pool starved) leaves
     * the server healthy and serving: the task fails without naming it, and Spark runs it again.
     */
    RuntimeException handedOut(MapRead map, RuntimeException e) {
        if (e instanceof FabricFetchException f && f.serverAtFault()) {
            return fetchFailed(f);
        }
        return new IllegalStateException("a stream of map " + map.location.mapIndex() + " (shuffle "
                + map.location.shuffleId() + ") from executor " + map.location.executorId() + " was partly read when "
                + e.getMessage() + "; that executor is not at fault, so the task fails (Spark runs it again) "
                + "without a FetchFailed against it", e);
    }

    /** Throws the FetchFailed for a block whose checksum does not match (after its re-read): corrupt at the source. */
    RuntimeException checksumFailed(ReadPlan.Block b, BlockChecksum c) {
        MapOutputLocation l = b.map().location;
        return fetchFailed(new FabricFetchException(b.map(), "block " + b.id() + " (" + b.length() + " bytes) from "
                + "executor " + l.executorId() + " failed its " + checksumAlgorithm + " checksum (expected "
                + c.expected() + ", read " + c.value() + "): its map output is corrupt", null));
    }

    /**
     * A block whose bytes cannot be decompressed or read is corrupt, as Spark's fetcher treats it
     * (spark.shuffle.detectCorrupt): FetchFailed for its map output, not a plain task failure that
     * fails the job after four attempts.
     */
    RuntimeException unreadable(MapRead map, BlockId id, long length, IOException e) {
        return fetchFailed(new FabricFetchException(map, "block " + id + " (" + length + " bytes) from executor "
                + map.location.executorId() + " could not be read (" + e + "): its map output is corrupt", e));
    }
}
