package io.efashuffle.transfer.engine;

import java.util.Optional;

/**
 * Where segment descriptors are published and looked up (Mooncake's metadata service).
 * Implementations: {@link InMemoryMetadataRegistry} (one process), {@link HttpMetadataRegistry}
 * (tools, across processes), and the Spark driver's registry in shuffle-efa.
 */
public interface MetadataRegistry extends AutoCloseable {
    void publish(SegmentDescriptor descriptor);

    Optional<SegmentDescriptor> lookup(String segmentName);

    void remove(String segmentName);

    @Override
    default void close() {}
}
