package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.storage.BlockId;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns a handed-out block's unreadable bytes (decompression or deserialization failing) into a
 * FetchFailed for its map output, as Spark's fetcher does with spark.shuffle.detectCorrupt.
 * Decompression usually notices a damaged block before its checksum can be compared at its end.
 */
final class CorruptBlockGuard extends FilterInputStream {
    private final MapRead map;
    private final BlockId id;
    private final long length;
    private final FetchFailures failures;

    CorruptBlockGuard(InputStream in, MapRead map, BlockId id, long length, FetchFailures failures) {
        super(in);
        this.map = map;
        this.id = id;
        this.length = length;
        this.failures = failures;
    }

    @Override
    public int read() {
        try {
            return super.read();
        } catch (IOException e) {
            throw failures.unreadable(map, id, length, e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw failures.unreadable(map, id, length, e);
        }
    }

    @Override
    public long skip(long n) {
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw failures.unreadable(map, id, length, e);
        }
    }
}
