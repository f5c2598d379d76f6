package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.tools.DataPattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who pays for a read: the serving transport's progress thread, or nobody on its side. sockets
 * progresses in its own threads (fi_getinfo: data and control progress auto), so the serving
 * side's progress thread sleeps until woken and 64 MiB are read from it while it uses no CPU.
 * tcp;ofi_rxm serves a read only inside the target's CQ read: its progress thread must work, and
 * this test sees that work (the measurement can tell the two apart). On every provider an idle
 * serving thread sleeps (shm's blocking CQ read spins, so there it parks).
 */
class ServingProgressTest {
    private static final long SERVED = 64L << 20;
    private static final int READ = 1 << 20;
    private static final int WINDOW = 8;
    private static final long SEED = 7;

    @ParameterizedTest(name = "provider {0}")
    @ValueSource(strings = {"sockets", "tcp", "shm"})
    void aServingTransportSpendsCpuOnlyWhereTheProviderNeedsIt(String provider) throws Exception {
        TransportConfig config = provider.equals("shm") ? TransportConfig.defaults(provider)
                : TransportConfig.defaults(provider).withNics(List.of("lo"));
        try (Arena arena = Arena.ofShared();
             FabricTransport server = new FabricTransport(config);
             FabricTransport reader = new FabricTransport(config)) {
            boolean auto = server.railAttributes().getFirst().providerProgresses();
            assertEquals(provider.equals("sockets"), auto, server.describe());
            String idle = auto ? "idle=until-woken" : provider.equals("shm") ? "idle=park" : "idle=sread";
            assertTrue(server.describe().contains(idle), server.describe());

            MemorySegment served = arena.allocate(SERVED, 4096);
            DataPattern.fill(served, SEED, 0);
            RegisteredMemory remote = server.register(served, RemoteAccess.READ);
            MemorySegment local = arena.allocate((long) READ * WINDOW, 4096);
            RegisteredMemory mine = reader.register(local, RemoteAccess.NONE);
            RemotePeer peer = reader.connect("server", server.localEndpoint());

            read(reader, mine, peer, remote, local, 0, 1); // connection set-up, not measured
            Thread.sleep(300); // the server's thread finishes spinning and sleeps
            long idle0 = server.progressCpuNanos();
            Thread.sleep(1000);
            long idleCpu = server.progressCpuNanos() - idle0;
            System.out.printf("%s: idle serving thread CPU over 1 s: %.1f ms%n", provider, idleCpu / 1e6);
            assertTrue(idleCpu < 250_000_000L, "an idle progress thread must sleep, not spin: " + idleCpu / 1_000_000
                    + " ms of CPU in 1 s (" + server.describe() + ")");

            long cpu0 = server.progressCpuNanos();
            long t0 = System.nanoTime();
            read(reader, mine, peer, remote, local, 0, (int) (SERVED / READ));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpu = server.progressCpuNanos() - cpu0;
            System.out.printf("%s: %d MiB served at %.2f GB/s; serving progress thread CPU %.1f ms (%.1f ms per GB)%n",
                    provider, SERVED >> 20, SERVED / seconds / 1e9, cpu / 1e6, cpu / 1e6 / (SERVED / 1e9));
            if (auto) {
                assertTrue(cpu < 5_000_000, "the serving thread should sleep through the reads: " + cpu + " ns");
            } else if (provider.equals("tcp")) {
                assertTrue(cpu > 5_000_000, "tcp serves inside the target's CQ reads: " + cpu + " ns");
            } // shm: the reader copies (cross-memory attach); the target only drains a command per read
            reader.unregister(mine);
            server.unregister(remote);
        }
    }

    /** Reads {@code count} blocks of {@link #READ} bytes, {@link #WINDOW} in flight, checking each. */
    private static void read(FabricTransport reader, RegisteredMemory mine, RemotePeer peer, RegisteredMemory remote,
                             MemorySegment local, int first, int count) throws Exception {
        Semaphore window = new Semaphore(WINDOW);
        CompletableFuture<Void> failed = new CompletableFuture<>();
        for (int i = 0; i < count; i++) {
            window.acquire();
            if (failed.isDone()) {
                break;
            }
            int slot = i % WINDOW;
            long offset = (long) (first + i) * READ;
            MemorySegment into = local.asSlice((long) slot * READ, READ);
            reader.submit(new RmaOperation(Opcode.READ, into.address(), READ, mine, peer,
                    remote.segment().address(), offset, remote.keys(), new RmaOperation.Handler() {
                        @Override
                        public void completed(RmaOperation op, RuntimeException error) {
                            if (error != null) {
                                failed.completeExceptionally(error);
                            } else if (DataPattern.firstMismatch(into, SEED, offset) != -1) {
                                failed.completeExceptionally(new AssertionError("wrong bytes at " + offset));
                            }
                        }

                        @Override
                        public void released(RmaOperation op) {
                            window.release();
                        }
                    }, null));
        }
        assertTrue(window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS), "reads did not finish");
        assertNull(failed.getNow(null));
    }
}
