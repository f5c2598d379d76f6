package org.apache.spark.shuffle.efa.registry;

/**
 * Where one committed map output lives: the executor's segment, and absolute addresses of its data,
 * index and per-partition checksums ({@code checksumAddress} 0: none) in that segment's registered
 * memory. One entry per map, never per (map, reducer). Readers compute remote addresses from these
 * values, so impossible ones (negative, or a data range past the address space) are refused here,
 * whoever builds the location: the writer or the registry decoder.
 */
public record MapOutputLocation(int shuffleId, int mapIndex, long mapId, String executorId, String segmentName,
                                long dataAddress, long dataLength, long indexAddress, int numPartitions,
                                long checksumAddress) {
    public MapOutputLocation {
        if (shuffleId < 0 || mapIndex < 0 || numPartitions < 0) {
            throw new IllegalArgumentException("map output location with a negative shuffle id (" + shuffleId
                    + "), map index (" + mapIndex + ") or partition count (" + numPartitions + ")");
        }
        if (dataAddress < 0 || dataLength < 0 || indexAddress < 0 || checksumAddress < 0) {
            throw new IllegalArgumentException("map output location with a negative address or length: data "
                    + dataAddress + "+" + dataLength + ", index " + indexAddress + ", checksums " + checksumAddress);
        }
        if (dataLength > Long.MAX_VALUE - dataAddress
                || indexAddress > Long.MAX_VALUE - 8L * (numPartitions + 1L)) {
            throw new IllegalArgumentException("map output data range " + dataAddress + "+" + dataLength
                    + " or index at " + indexAddress + " for " + numPartitions + " partitions overflows");
        }
        if (executorId == null || segmentName == null) {
            throw new IllegalArgumentException("map output location without executor id or segment name");
        }
    }
}
