package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.fabric.FabricException;
import io.efashuffle.transfer.tools.DataPattern;
import io.efashuffle.transfer.tools.FabricOptions;
import io.efashuffle.transfer.tools.HttpMetadataRegistry;
import io.efashuffle.transfer.tools.MetadataRegistryServer;
import io.efashuffle.transfer.tools.TargetProcess;
import io.efashuffle.transfer.tools.TransferCli;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.Opcode;
import io.efashuffle.transfer.transport.OperationTimeoutException;
import io.efashuffle.transfer.transport.PeerLostException;
import io.efashuffle.transfer.transport.ProgressMode;
import io.efashuffle.transfer.transport.RegisteredMemory;
import io.efashuffle.transfer.transport.RemoteAccess;
import io.efashuffle.transfer.transport.RemotePeer;
import io.efashuffle.transfer.transport.RmaOperation;
import io.efashuffle.transfer.transport.TransportConfig;
import io.efashuffle.transfer.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every failure ends in an error within a bounded time, never a hang or a crash. */
class FailurePathsTest {

    private static TransportConfig config(String provider) {
        return TransportConfig.defaults(provider).withNics(provider.equals("shm") ? List.of() : List.of("lo"))
                .withOperationTimeout(Duration.ofSeconds(5));
    }


    /**
     * A wrong key (tcp, sockets) or an address the target never registered (shm ignores keys).
     * Run per provider by {@link #wrongKeyEndsInAnErrorCompletion} and ShmBadAddressTest, which
     * has a JVM of its own: after an EFAULT completion libfabric 1.17's shm provider leaves its
     * process-wide state unusable for later endpoints in the same process.
     */
    static void wrongKeyOrAddressEndsInAnErrorCompletion(String provider) throws Exception {
        try (FabricTransport initiator = new FabricTransport(config(provider));
             FabricTransport target = new FabricTransport(config(provider));
             Arena arena = Arena.ofShared()) {
            MemorySegment local = arena.allocate(1 << 16, 4096);
            MemorySegment remote = arena.allocate(1 << 16, 4096);
            RegisteredMemory l = initiator.register(local, RemoteAccess.NONE);
            RegisteredMemory r = target.register(remote, RemoteAccess.READ);
            RemotePeer peer = initiator.connect("target", target.localEndpoint());
            boolean keysChecked = !provider.equals("shm");
            long base = keysChecked ? remote.address() : 0x1000; // page 1 is never mapped
            long[] keys = keysChecked ? new long[] {r.keys()[0] ^ 0x5a5a5a} : r.keys();
            CompletableFuture<Void> done = new CompletableFuture<>();
            initiator.submit(new RmaOperation(Opcode.READ, local.address(), 4096, l, peer, base, 0, keys,
                    (op, err) -> {
                        if (err == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(err);
                        }
                    }, null));
            ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(20, TimeUnit.SECONDS));
            TransportException te = assertInstanceOf(TransportException.class, e.getCause());
            assertTrue(te.getMessage().contains("fi_read of 4096 bytes"), te.getMessage());
            assertTrue(te.errno() > 0, "carries libfabric's errno");
            initiator.unregister(l);
            target.unregister(r);
        }
    }

    @ParameterizedTest(name = "provider {0}")
    @ValueSource(strings = {"tcp", "sockets"})
    void wrongKeyEndsInAnErrorCompletion(String provider) throws Exception {
        wrongKeyOrAddressEndsInAnErrorCompletion(provider);
    }

    /**
     * A read that passes its deadline has failed, but its landing memory is not free until the
     * provider lets go: tcp;ofi_rxm serves reads in the target's progress thread, so a stopped
     * target answers late, into that memory. The timeout is transient (the peer is not lost).
     */
    @Test
    void timedOutReadIsReleasedOnlyWhenTheProviderLetsGo() throws Exception {
        long seed = 11;
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             TargetProcess target = TargetProcess.start(new FabricOptions("tcp", null, ProgressMode.AUTO),
                     server.url(), "sleeper", 8L << 20, seed);
             Arena arena = Arena.ofShared();
             TransferEngine engine = new TransferEngine("reader", new HttpMetadataRegistry(server.url()))) {
            engine.installTransport(new FabricTransport(config("tcp").withOperationTimeout(Duration.ofMillis(500))));
            MemorySegment local = arena.allocate(64L << 10, 4096); // one message each way, no rendezvous
            engine.registerLocalMemory(local, "cpu:0", RemoteAccess.NONE);
            long id = engine.openSegment("sleeper", Duration.ofSeconds(30));
            List<TransferRequest> read = List.of(TransferRequest.read(local, id, target.bufferBase()));
            engine.transferAsync(read).get(30, TimeUnit.SECONDS); // connected and served once
            local.fill((byte) 0);

            Transfer late;
            signal("STOP", target.pid());
            try {
                awaitStopped(target.pid());
                late = engine.submitAsync(read);
                ExecutionException e = assertThrows(ExecutionException.class, () -> late.done().get(20, TimeUnit.SECONDS));
                assertInstanceOf(OperationTimeoutException.class, e.getCause());
                Thread.sleep(300);
                assertFalse(late.isReleased(), "released while the provider still holds the read");
                assertThrows(IllegalStateException.class, () -> engine.unregisterLocalMemory(local));
            } finally {
                signal("CONT", target.pid());
            }
            late.released().get(30, TimeUnit.SECONDS);
            assertEquals(-1, DataPattern.firstMismatch(local, seed, 0), "the late answer landed in the buffer");
            engine.transferAsync(read).get(30, TimeUnit.SECONDS); // a timeout did not mark the peer lost
            engine.closeSegment(id);
            engine.unregisterLocalMemory(local);
        }
    }

    /** A progress thread that dies is reported, fails later work at once, and lets go of memory. */
    @Test
    void aDeadProgressThreadIsReportedAndRefusesWork() throws Exception {
        try (FabricTransport initiator = new FabricTransport(config("tcp"));
             FabricTransport target = new FabricTransport(config("tcp"));
             Arena arena = Arena.ofShared()) {
            MemorySegment local = arena.allocate(1 << 16, 4096);
            MemorySegment remote = arena.allocate(1 << 16, 4096);
            RegisteredMemory l = initiator.register(local, RemoteAccess.NONE);
            RegisteredMemory r = target.register(remote, RemoteAccess.READ);
            RemotePeer peer = initiator.connect("target", target.localEndpoint());
            assertEquals(null, initiator.failure());
            initiator.injectProgressFailure("test");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (initiator.failure() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(String.valueOf(initiator.failure()).contains("injected: test"), String.valueOf(initiator.failure()));
            TransportException e = assertThrows(TransportException.class, () -> initiator.submit(new RmaOperation(
                    Opcode.READ, local.address(), 4096, l, peer, remote.address(), 0, r.keys(), (op, err) -> { }, null)));
            assertTrue(e.getMessage().contains("failed earlier"), e.getMessage());
            target.unregister(r);
        }
    }

    /**
     * A progress thread stuck inside the provider (as shm's is when a peer died holding its region's
     * lock) fails the rail from the watchdog: waiting reads get a failure within the operation
     * timeout plus the grace, the owner hears of it, later work is refused at once, close does not wait.
     */
    @Test
    void aStuckProgressThreadFailsTheRailWithinABound() throws Exception {
        CountDownLatch resume = new CountDownLatch(1);
        try (FabricTransport initiator = new FabricTransport(config("tcp"));
             FabricTransport target = new FabricTransport(config("tcp"));
             Arena arena = Arena.ofShared()) {
            MemorySegment local = arena.allocate(1 << 16, 4096);
            MemorySegment remote = arena.allocate(1 << 16, 4096);
            RegisteredMemory l = initiator.register(local, RemoteAccess.NONE);
            RegisteredMemory r = target.register(remote, RemoteAccess.READ);
            RemotePeer peer = initiator.connect("target", target.localEndpoint());
            CompletableFuture<Throwable> reported = new CompletableFuture<>();
            initiator.onFailure(reported::complete);

            initiator.injectProgressStall(resume);
            CompletableFuture<RuntimeException> outcome = new CompletableFuture<>();
            long t0 = System.nanoTime();
            initiator.submit(new RmaOperation(Opcode.READ, local.address(), 4096, l, peer, remote.address(), 0,
                    r.keys(), (op, err) -> outcome.complete(err), null));
            RuntimeException err = outcome.get(30, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertInstanceOf(TransportException.class, err);
            assertTrue(err.getMessage().contains("inside the provider"), err.getMessage());
            assertTrue(seconds < 5 + 5 + 3, "the stuck rail failed its read after " + seconds + " s");
            assertTrue(String.valueOf(reported.get(5, TimeUnit.SECONDS)).contains("inside the provider"));
            TransportException e = assertThrows(TransportException.class, () -> initiator.submit(new RmaOperation(
                    Opcode.READ, local.address(), 4096, l, peer, remote.address(), 0, r.keys(), (op, x) -> { }, null)));
            assertTrue(e.getMessage().contains("failed earlier"), e.getMessage());
            initiator.disconnect(peer); // nothing to post to anyone: returns at once
            target.unregister(r);
            initiator.close();
            assertTrue(initiator.memoryLeftToProvider(), "a stuck rail's memory must not be freed under it");
            target.close();
            assertFalse(target.memoryLeftToProvider(), "a rail that stopped released everything");
        } finally {
            resume.countDown();
        }
    }

    /** kill returns before every thread of the target has stopped: wait until the kernel says so. */
    private static void awaitStopped(long pid) throws Exception {
        java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(pid), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String s = java.nio.file.Files.readString(stat);
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("T")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("process " + pid + " did not stop");
    }

    private static void signal(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, p.waitFor(), "kill -" + name);
    }

    @ParameterizedTest(name = "provider {0}")
    @ValueSource(strings = {"tcp", "shm"})
    void killedTargetFailsInFlightTransfersWithinBoundedTime(String provider) throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             TargetProcess target = TargetProcess.start(new FabricOptions(provider, null, ProgressMode.AUTO),
                     server.url(), "victim", 64L << 20, 3);
             Arena arena = Arena.ofShared();
             TransferEngine engine = new TransferEngine("reader", new HttpMetadataRegistry(server.url()))) {
            engine.installTransport(new FabricTransport(config(provider)));
            MemorySegment local = arena.allocate(8L << 20, 4096);
            engine.registerLocalMemory(local, "cpu:0", RemoteAccess.NONE);
            long id = engine.openSegment("victim", Duration.ofSeconds(30));
            long remote = target.bufferBase();
            List<TransferRequest> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                batch.add(new TransferRequest(Opcode.READ, local.address() + i * (1L << 20), 1 << 20, id,
                        remote + i * (4L << 20)));
            }
            engine.transferAsync(batch).get(30, TimeUnit.SECONDS); // the peer works before it dies

            CompletableFuture<Long> failedAt = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                while (!failedAt.isDone()) {
                    try {
                        engine.transferAsync(batch).get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        failedAt.complete(System.nanoTime());
                    }
                }
            });
            Thread.sleep(300);
            long killedAt = System.nanoTime();
            target.kill();
            long failed = failedAt.get(30, TimeUnit.SECONDS);
            reader.join(10_000);
            double seconds = (failed - killedAt) / 1e9;
            assertTrue(seconds < 15, "error took " + seconds + " s");
            // Later requests to the dead peer fail within one operation timeout (5 s), not later.
            long t0 = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> engine.transferAsync(batch).get(20, TimeUnit.SECONDS));
            assertInstanceOf(TransportException.class, e.getCause());
            assertTrue((System.nanoTime() - t0) / 1e9 < 10, "second failure was not fast");
            engine.closeSegment(id);
            if (provider.equals("tcp")) {
                engine.unregisterLocalMemory(local); // the broken connection completed every read
            } else {
                // shm never completes reads posted to a dead peer: their memory stays held (and is
                // never handed out again) until the endpoint closes.
                assertThrows(IllegalStateException.class, () -> engine.unregisterLocalMemory(local));
            }
        }
    }

    @Test
    void requestsOutsideRegisteredMemoryAreRefusedBeforeAnythingIsPosted() throws Exception {
        InMemoryMetadataRegistry registry = new InMemoryMetadataRegistry();
        try (Arena arena = Arena.ofShared();
             TransferEngine a = new TransferEngine("a", registry);
             TransferEngine b = new TransferEngine("b", registry)) {
            FabricTransport ta = a.installTransport(new FabricTransport(config("tcp")));
            b.installTransport(new FabricTransport(config("tcp")));
            MemorySegment local = arena.allocate(1 << 20, 4096);
            MemorySegment unregistered = arena.allocate(4096, 4096);
            MemorySegment remote = arena.allocate(1 << 20, 4096);
            a.registerLocalMemory(local, "cpu:0", RemoteAccess.NONE);
            b.registerLocalMemory(remote, "cpu:0", RemoteAccess.READ);
            long id = a.openSegment("b");
            long posted = ta.counters()[0];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.transferAsync(List.of(TransferRequest.read(local.asSlice(0, 100), id, remote.address()),
                            TransferRequest.read(unregistered, id, remote.address()))));
            assertTrue(e.getMessage().contains("not inside memory registered"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> a.transferAsync(List.of(TransferRequest.read(local.asSlice(0, 4096), id,
                            remote.address() + (1 << 20) - 100))));
            assertTrue(e.getMessage().contains("not inside a buffer published by segment 'b'"), e.getMessage());
            assertEquals(posted, ta.counters()[0], "nothing may be posted for a refused call");
            assertThrows(IllegalArgumentException.class, () -> a.openSegment("nobody"));
            // The valid request still works afterwards.
            a.transferAsync(List.of(TransferRequest.read(local.asSlice(0, 4096), id, remote.address())))
                    .get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void useAfterCloseThrows() throws Exception {
        InMemoryMetadataRegistry registry = new InMemoryMetadataRegistry();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment mem = arena.allocate(4096, 4096);
            TransferEngine engine = new TransferEngine("x", registry);
            FabricTransport t = engine.installTransport(new FabricTransport(config("tcp")));
            engine.registerLocalMemory(mem, "cpu:0", RemoteAccess.READ);
            engine.close();
            engine.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> engine.registerLocalMemory(mem, "cpu:0", RemoteAccess.READ));
            assertThrows(IllegalStateException.class, () -> engine.transferAsync(List.of()));
            assertThrows(IllegalStateException.class, () -> engine.allocateBatchId(1));
            assertThrows(IllegalStateException.class, () -> t.register(mem, RemoteAccess.READ));
            assertThrows(IllegalStateException.class, t::localEndpoint);
            assertTrue(registry.lookup("x").isEmpty(), "a closed engine unpublishes itself");
        }
    }

    @Test
    void efaWithoutDeviceOrNewEnoughLibfabricExplainsWhatToDo() {
        FabricException e = assertThrows(FabricException.class, () -> new FabricTransport(TransportConfig.defaults("efa")));
        assertTrue(e.getMessage().contains("EFA"), e.getMessage());
    }

    @Test
    void missingLibfabricGivesOneClearMessage() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Defa.libfabric.path=/nonexistent/libfabric.so.1", "-cp", System.getProperty("java.class.path"),
                TransferCli.class.getName(), "doctor", "--provider", "tcp").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("FAIL") && out.contains("apt-get install libfabric1"), out);
    }
}
