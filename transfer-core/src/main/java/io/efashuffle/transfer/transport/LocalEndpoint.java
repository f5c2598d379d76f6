package io.efashuffle.transfer.transport;

import java.util.List;
import java.util.Map;

/**
 * The transport part of a segment descriptor.
 *
 * @param endpointNames one fi_getname address per NIC (rail)
 * @param attributes    addressing facts a peer needs, e.g. {@code addressing=virtual|offset}
 */
public record LocalEndpoint(List<byte[]> endpointNames, Map<String, String> attributes) {
    public static final String ADDRESSING = "addressing";
    public static final String VIRTUAL = "virtual";
    public static final String OFFSET = "offset";

    public LocalEndpoint {
        endpointNames = List.copyOf(endpointNames);
        attributes = Map.copyOf(attributes);
    }
}
