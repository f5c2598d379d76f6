package io.efashuffle.transfer.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * How one request becomes transport operations: cut at the transport's largest operation and
 * wherever the local or the remote range passes from one registered piece to the next (a buffer
 * larger than the provider's largest registration is registered in pieces, each with its own
 * key). Each operation lies inside one local piece and one remote buffer.
 */
final class OperationPlan {
    /** One operation: its local piece, remote buffer, addresses and length. */
    record Step(LocalBuffer local, BufferDescriptor remote, long localAddress, long remoteAddress, long length) {}

    private OperationPlan() {}

    /**
     * @param localAt  the local piece holding an address (the request's range was checked to be
     *                 registered as one registration)
     * @param remoteAt the remote buffer holding an address (the range was checked to be covered)
     */
    static List<Step> of(long localAddress, long remoteAddress, long length, long maxOperationBytes,
                         LongFunction<LocalBuffer> localAt, LongFunction<BufferDescriptor> remoteAt) {
        if (maxOperationBytes <= 0) {
            throw new IllegalArgumentException("maxOperationBytes must be > 0: " + maxOperationBytes);
        }
        List<Step> steps = new ArrayList<>((int) Math.min(1024, length / maxOperationBytes + 1));
        long done = 0;
        do { // a zero-length request is one zero-length operation, as the provider sees it
            long la = localAddress + done;
            long ra = remoteAddress + done;
            LocalBuffer local = localAt.apply(la);
            BufferDescriptor remote = remoteAt.apply(ra);
            long n = Math.min(Math.min(maxOperationBytes, length - done),
                    Math.min(local.base() + local.segment.byteSize() - la, remote.base() + remote.length() - ra));
            if (n <= 0 && length > 0) {
                throw new IllegalStateException("no progress planning 0x" + Long.toHexString(la) + " -> 0x"
                        + Long.toHexString(ra) + ": a piece ends at the address");
            }
            steps.add(new Step(local, remote, la, ra, n));
            done += n;
        } while (done < length);
        return steps;
    }
}
