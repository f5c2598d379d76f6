package io.efashuffle.transfer.transport;

import java.lang.foreign.MemorySegment;

/**
 * A way of moving bytes between registered memory of two processes (Mooncake's Transport).
 * The engine picks the transport whose {@link #protocol()} matches the target segment's.
 * Implementations are thread-safe; completions are reported through {@link RmaOperation}.
 */
public interface Transport extends AutoCloseable {

    /** The protocol name written into segment descriptors, e.g. "efa", "tcp", "shm". */
    String protocol();

    /** What peers need to reach this process: endpoint names and addressing attributes. */
    EndpointAddresses localEndpoint();

    /** Registers memory for local use and the remote access given, no more. */
    RegisteredMemory register(MemorySegment memory, RemoteAccess access);

    /** Releases a registration; no operation may still reference it. */
    void unregister(RegisteredMemory memory);

    /** Makes a remote segment's endpoints reachable (address-vector insert). */
    RemotePeer connect(String segmentName, EndpointAddresses remote);

    /** Forgets a peer; its in-flight operations fail. */
    void disconnect(RemotePeer peer);

    /**
     * The largest memory one registration may cover; the engine registers larger memory in pieces
     * (with keys of their own) and splits operations at their boundaries.
     */
    long maxRegistrationBytes();

    /** The largest single operation; the engine splits larger requests. */
    long maxOperationBytes();

    /** Queues an operation; never blocks. Its completion is reported to the operation's handler. */
    void submit(RmaOperation operation);

    @Override
    void close();
}
