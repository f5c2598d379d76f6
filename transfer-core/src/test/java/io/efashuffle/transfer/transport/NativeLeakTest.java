package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.transport.RemoteAccess;
import io.efashuffle.transfer.engine.InMemoryMetadataRegistry;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.fabric.LiveObjects;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native memory is owned: after many registrations and many whole engines, malloc'd bytes, open
 * file descriptors and threads stay flat and no libfabric object is left open.
 */
class NativeLeakTest {
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            Stream.generate(() -> ValueLayout.JAVA_LONG).limit(10).toArray(MemoryLayout[]::new));
    private static final MethodHandle MALLINFO = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("mallinfo2"), FunctionDescriptor.of(MALLINFO2));

    /** Bytes in use from glibc malloc (arena + mmapped chunks): libfabric's heap, not Java's. */
    private static long mallocBytes() throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = (MemorySegment) MALLINFO.invokeExact((java.lang.foreign.SegmentAllocator) a);
            return m.getAtIndex(ValueLayout.JAVA_LONG, 4) /* hblkhd */ + m.getAtIndex(ValueLayout.JAVA_LONG, 7) /* uordblks */;
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static long threads() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            return s.count();
        }
    }

    /**
     * Malloc growth over four windows of {@code cyclesPerWindow} cycles each. glibc's arenas move
     * by several MB with JIT, GC and progress-thread activity whatever the test does (measured
     * +1.5 to +10 MB after one window), so one delta cannot tell a leak from arena growth: a leak
     * grows in every window, arena growth levels off. Tests assert on the smallest window.
     */
    private static long[] windowGrowth(int cyclesPerWindow, Runnable cycle) throws Throwable {
        long[] grown = new long[4];
        for (int window = 0; window < grown.length; window++) {
            System.gc();
            long before = mallocBytes();
            for (int i = 0; i < cyclesPerWindow; i++) {
                cycle.run();
            }
            System.gc();
            grown[window] = mallocBytes() - before;
        }
        return grown;
    }

    private static TransportConfig tcp() {
        return TransportConfig.defaults("tcp").withNics(List.of("lo"));
    }

    @Test
    void tenThousandRegistrationsLeaveNothingBehind() throws Throwable {
        try (Arena arena = Arena.ofShared();
             TransferEngine engine = new TransferEngine("leak-reg", new InMemoryMetadataRegistry())) {
            engine.installTransport(new FabricTransport(tcp()));
            MemorySegment[] buffers = new MemorySegment[4];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = arena.allocate(64 << 10, 4096);
            }
            Runnable cycle = () -> {
                for (MemorySegment b : buffers) {
                    engine.registerLocalMemory(b, "cpu:0", RemoteAccess.READ, false);
                }
                for (MemorySegment b : buffers) {
                    engine.unregisterLocalMemory(b, false);
                }
            };
            for (int i = 0; i < 250; i++) {
                cycle.run(); // warm-up: JIT and first-use allocations
            }
            // Four windows of 625 x 4 = 2,500 registrations: the smallest growth must be near zero
            // (a leak of even 100 bytes per registration adds 250 KB to every window).
            long fdsBefore = openFds();
            long[] grown = windowGrowth(625, cycle);
            String deltas = Arrays.toString(grown);
            System.out.printf("10,000 registrations: malloc delta per window %s, fd delta %d%n", deltas, openFds() - fdsBefore);
            assertEquals(0, LiveObjects.count("mr"), "memory regions left open");
            assertEquals(fdsBefore, openFds(), "file descriptors grew");
            assertTrue(Arrays.stream(grown).min().getAsLong() < 200_000, "malloc'd bytes grew in every window: " + deltas);
        }
    }

    @Test
    void hundredEnginesOpenedAndClosedLeaveNothingBehind() throws Throwable {
        InMemoryMetadataRegistry registry = new InMemoryMetadataRegistry();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(1 << 20, 4096);
            MemorySegment b = arena.allocate(1 << 20, 4096);
            Runnable cycle = () -> {
                try (TransferEngine ea = new TransferEngine("leak-a", registry);
                     TransferEngine eb = new TransferEngine("leak-b", registry)) {
                    ea.installTransport(new FabricTransport(tcp()));
                    eb.installTransport(new FabricTransport(tcp()));
                    ea.registerLocalMemory(a, "cpu:0", RemoteAccess.NONE);
                    eb.registerLocalMemory(b, "cpu:0", RemoteAccess.READ);
                    long id = ea.openSegment("leak-b");
                    ea.transferAsync(List.of(TransferRequest.read(a, id, b.address()))).get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            for (int i = 0; i < 10; i++) {
                cycle.run();
            }
            long fdsBefore = openFds();
            long threadsBefore = threads();
            // Each cycle: two engines, transports, endpoints, a connection, a transfer.
            long[] grown = windowGrowth(25, cycle);
            String deltas = Arrays.toString(grown);
            System.out.printf("100 engine cycles: malloc delta per window %s, fd delta %d, thread delta %d%n", deltas,
                    openFds() - fdsBefore, threads() - threadsBefore);
            Map<String, Long> live = LiveObjects.snapshot();
            assertEquals(Map.of(), live, "libfabric objects left open");
            assertEquals(fdsBefore, openFds(), "file descriptors grew");
            assertTrue(threads() <= threadsBefore, "threads grew from " + threadsBefore + " to " + threads());
            // 25 cycles = 50 engines per window: a leak of 10 KB per engine adds 500 KB to every window.
            assertTrue(Arrays.stream(grown).min().getAsLong() < 500_000, "malloc'd bytes grew in every window: " + deltas);
            assertEquals(0, registry.size(), "closed engines stay published");
        }
    }
}
