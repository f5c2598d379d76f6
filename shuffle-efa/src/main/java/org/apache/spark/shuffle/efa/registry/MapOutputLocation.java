package org.apache.spark.shuffle.efa.registry;

/**
 * Where one committed map output lives: the executor's segment, and absolute addresses of its data,
 * index and per-partition checksums ({@code checksumAddress} 0: none) in that segment's registered
 * memory. One entry per map, never per (map, reducer).
 */
public record MapOutputLocation(int shuffleId, int mapIndex, long mapId, String executorId, String segmentName,
                                long dataAddress, long dataLength, long indexAddress, int numPartitions,
                                long checksumAddress) {}
