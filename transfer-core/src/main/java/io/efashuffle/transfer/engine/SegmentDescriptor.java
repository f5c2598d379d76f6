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
}
