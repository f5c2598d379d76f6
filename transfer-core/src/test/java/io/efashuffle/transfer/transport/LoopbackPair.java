package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.engine.InMemoryMetadataRegistry;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.engine.TransferRequest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two engines in this process, each with a transport built from one config: the reader reads the
 * server's registered memory and checks every byte. The tests of transport settings share it.
 */
final class LoopbackPair implements AutoCloseable {
    /** The reader's transport, for what a test asserts about it. */
    final FabricTransport readerTransport;
    /** The server's transport, for faults a test injects into it. */
    final FabricTransport serverTransport;
    private final Arena arena = Arena.ofShared();
    private final TransferEngine reader;
    private final TransferEngine server;
    private final MemorySegment into;
    private final MemorySegment served;
    /** The server's segment as the reader opened it first. */
    final long segment;

    LoopbackPair(TransportConfig config, long bytes) {
        InMemoryMetadataRegistry registry = new InMemoryMetadataRegistry();
        reader = new TransferEngine("loopback-reader", registry);
        server = new TransferEngine("loopback-server", registry);
        readerTransport = reader.installTransport(new FabricTransport(config));
        serverTransport = server.installTransport(new FabricTransport(config));
        into = arena.allocate(bytes, 4096);
        served = arena.allocate(bytes, 4096);
        for (long i = 0; i + 8 <= bytes; i += 8) {
            served.set(ValueLayout.JAVA_LONG_UNALIGNED, i, i * 0x9E3779B97F4A7C15L + 7);
        }
        reader.registerLocalMemory(into, "cpu:0", RemoteAccess.NONE);
        server.registerLocalMemory(served, "cpu:0", RemoteAccess.READ);
        segment = reader.openSegment("loopback-server");
    }

    /** Reads all of the server's memory in {@code pieces} equal requests and checks every byte. */
    void readAllIn(int pieces) throws Exception {
        long size = served.byteSize() / pieces;
        List<TransferRequest> reads = new ArrayList<>();
        for (int r = 0; r < pieces; r++) {
            reads.add(TransferRequest.read(into.asSlice(r * size, size), segment, served.address() + r * size));
        }
        reader.transferAsync(reads).get(30, TimeUnit.SECONDS);
        assertEquals(-1, into.mismatch(served), readerTransport.describe() + ": bytes differ");
    }

    /** Submits reads of all of the server's memory in {@code pieces} equal requests, without waiting. */
    io.efashuffle.transfer.engine.Transfer submitReads(int pieces) {
        long size = served.byteSize() / pieces;
        List<TransferRequest> reads = new ArrayList<>();
        for (int r = 0; r < pieces; r++) {
            reads.add(TransferRequest.read(into.asSlice(r * size, size), segment, served.address() + r * size));
        }
        return reader.submitAsync(reads);
    }

    /** Whether piece {@code piece} of {@link #submitReads}'s {@code pieces} holds the server's bytes. */
    boolean landed(int piece, int pieces) {
        long size = served.byteSize() / pieces;
        return into.asSlice(piece * size, size).mismatch(served.asSlice(piece * size, size)) == -1;
    }

    /** Reads {@code length} bytes of the server's memory at {@code from} into the reader's at {@code to}; checks them. */
    void readAt(long to, long from, long length) throws Exception {
        readAt(segment, to, from, length);
    }

    /** As {@link #readAt(long, long, long)}, through the reader's segment id {@code via}. */
    void readAt(long via, long to, long from, long length) throws Exception {
        reader.transferAsync(List.of(TransferRequest.read(into.asSlice(to, length), via, served.address() + from)))
                .get(30, TimeUnit.SECONDS);
        assertEquals(-1, into.asSlice(to, length).mismatch(served.asSlice(from, length)),
                readerTransport.describe() + ": bytes differ");
    }

    /** The reader's engine, for tests of its peer bookkeeping. */
    TransferEngine readerEngine() {
        return reader;
    }

    /** The server's descriptor as published. */
    io.efashuffle.transfer.engine.SegmentDescriptor serverDescriptor() {
        return server.localDescriptor();
    }

    /** The reader opens the server's segment once more: a new segment id for the same peer. */
    long openServerAgain() {
        return reader.openSegment("loopback-server");
    }

    void closeSegment(long id) {
        reader.closeSegment(id);
    }

    /** How many buffers the server publishes, as the reader sees them. */
    int publishedBuffers() {
        return reader.segmentDescriptor(segment).buffers().size();
    }

    /** How many buffers the server publishes now. */
    int serverPublishedBuffers() {
        return server.localDescriptor().buffers().size();
    }

    /** The server takes its memory back (all of its pieces); the reader's view refreshes on its next lookup. */
    void unregisterServed() {
        server.unregisterLocalMemory(served);
    }

    @Override
    public void close() {
        try (arena; server; reader) {
            // the engines close their transports, then the memory is freed
        }
    }
}
