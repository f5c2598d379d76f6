package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.transport.EndpointAddresses;

import java.util.Comparator;
import java.util.List;

/**
 * What a process publishes about itself (Mooncake's segment descriptor): its name, the protocol
 * of its transport, the transport's endpoint addresses and attributes, and its registered buffers.
 */
public record SegmentDescriptor(String name, String protocol, EndpointAddresses endpoint, List<BufferDescriptor> buffers) {
    public SegmentDescriptor {
        buffers = buffers.stream().sorted(Comparator.comparingLong(BufferDescriptor::base)).toList();
    }

    /** The buffer holding [address, address + length), or null. */
    public BufferDescriptor bufferContaining(long address, long length) {
        int lo = 0;
        int hi = buffers.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            BufferDescriptor b = buffers.get(mid);
            if (Long.compareUnsigned(b.base(), address) > 0) {
                hi = mid - 1;
            } else if (b.contains(address, length)) {
                return b;
            } else {
                lo = mid + 1;
            }
        }
        return null;
    }

    /**
     * Whether [address, address + length) lies in published buffers that follow one another
     * without a gap (the pieces of one registration larger than the provider registers at once).
     */
    public boolean covers(long address, long length) {
        if (length <= 0 || address + length < address) {
            return length == 0 && bufferContaining(address, 0) != null;
        }
        long end = address + length;
        for (long at = address; ; ) {
            BufferDescriptor b = bufferContaining(at, 1);
            if (b == null) {
                return false;
            }
            at = b.base() + b.length();
            if (end <= at) {
                return true;
            }
        }
    }
}
