package io.efashuffle.transfer.transport;

import java.util.List;
import java.util.Map;

/**
 * The transport part of a segment descriptor: where a process (this one or a peer) can be reached,
 * one endpoint address per rail, and how its memory is addressed.
 *
 * @param endpointNames one fi_getname address per NIC (rail)
 * @param attributes    addressing facts a peer needs, e.g. {@code addressing=virtual|offset}
 */
public record EndpointAddresses(List<byte[]> endpointNames, Map<String, String> attributes) {
    public static final String ADDRESSING = "addressing";
    public static final String VIRTUAL = "virtual";
    public static final String OFFSET = "offset";

    public EndpointAddresses {
        endpointNames = List.copyOf(endpointNames);
        attributes = Map.copyOf(attributes);
    }
}
