package io.efashuffle.transfer.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A registry inside one process: for tests, and as the store behind the tools' HTTP registry server. */
public final class InMemoryMetadataRegistry implements MetadataRegistry {
    private final Map<String, SegmentDescriptor> segments = new ConcurrentHashMap<>();

    @Override
    public void publish(SegmentDescriptor descriptor) {
        segments.put(descriptor.name(), descriptor);
    }

    @Override
    public Optional<SegmentDescriptor> lookup(String segmentName) {
        return Optional.ofNullable(segments.get(segmentName));
    }

    @Override
    public void remove(String segmentName) {
        segments.remove(segmentName);
    }

    public int size() {
        return segments.size();
    }
}
