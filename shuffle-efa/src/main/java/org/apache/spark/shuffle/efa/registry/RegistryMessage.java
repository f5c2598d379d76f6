package org.apache.spark.shuffle.efa.registry;

import java.util.List;

/** What executors and the driver registry say to each other (encoded by {@link RegistryCodec}). */
public sealed interface RegistryMessage {
    record PublishSegment(String executorId, byte[] descriptor) implements RegistryMessage {}

    record RemoveSegment(String segmentName) implements RegistryMessage {}

    record LookupSegment(String segmentName) implements RegistryMessage {}

    /** Reply to {@link LookupSegment}: an empty descriptor means unknown. */
    record SegmentReply(byte[] descriptor) implements RegistryMessage {}

    record PublishMapOutput(MapOutputLocation location) implements RegistryMessage {}

    record LookupShuffle(int shuffleId) implements RegistryMessage {}

    record ShuffleLocations(int shuffleId, List<MapOutputLocation> locations) implements RegistryMessage {}

    record ReportStats(ReadStats stats) implements RegistryMessage {}

    record GetStats() implements RegistryMessage {}

    record Stats(ReadStats stats) implements RegistryMessage {}

    record Ack() implements RegistryMessage {}
}
