package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.reader.ReadPlan.Block;

import java.io.InputStream;
import java.util.List;

/**
 * The blocks of one map output's run as one stream (Spark's batch fetch): the next block opens
 * when the one before is at its end. Part of the run is handed out by then, so a failure to open
 * one names the serving executor only when it is at fault ({@link FetchFailures#handedOut}).
 */
final class RunStream extends InputStream {
    /** Opens a block of the run: checked and counted, its first bytes landed. */
    interface Opener {
        BoundedInputStream open(Block b);
    }

    private final List<Block> rest;
    private final Opener opener;
    private final ReleaseGate gate;
    private final FetchFailures failures;
    private int next;
    private BoundedInputStream current;

    /** @param rest the run's blocks after {@code first}, in order */
    RunStream(BoundedInputStream first, List<Block> rest, Opener opener, ReleaseGate gate, FetchFailures failures) {
        this.current = first;
        this.rest = rest;
        this.opener = opener;
        this.gate = gate;
        this.failures = failures;
    }

    @Override
    public int read() {
        while (true) {
            int c = current.read();
            if (c >= 0 || !advance()) {
                return c;
            }
        }
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n = current.read(b, off, len);
            if (n > 0 || !advance()) {
                return n;
            }
        }
    }

    @Override
    public int available() {
        return current.available();
    }

    private boolean advance() {
        gate.enter();
        try {
            if (next >= rest.size()) {
                return false;
            }
            Block b = rest.get(next++);
            try {
                current = opener.open(b);
            } catch (FabricFetchException | ReceivePoolStarvedException e) {
                throw failures.handedOut(b.map(), e);
            }
            return true;
        } finally {
            gate.exit();
        }
    }
}
