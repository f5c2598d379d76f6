package org.apache.spark.shuffle.efa.registry;

/**
 * Where one committed map output lives: the executor's segment, and absolute addresses of its data
 * and index in that segment's registered memory. One entry per map, never per (map, reducer).
 */
public record MapOutputLocation(int shuffleId, int mapIndex, long mapId, String executorId, String segmentName,
                                long dataAddress, long dataLength, long indexAddress, int numPartitions) {}
