package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.tools.DataPattern;
import io.efashuffle.transfer.tools.FabricOptions;
import io.efashuffle.transfer.tools.HttpMetadataRegistry;
import io.efashuffle.transfer.tools.MetadataRegistryServer;
import io.efashuffle.transfer.tools.TargetProcess;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.EndpointAddresses;
import io.efashuffle.transfer.transport.Opcode;
import io.efashuffle.transfer.transport.ProgressMode;
import io.efashuffle.transfer.transport.RegisteredMemory;
import io.efashuffle.transfer.transport.RemoteAccess;
import io.efashuffle.transfer.transport.RemotePeer;
import io.efashuffle.transfer.transport.RmaOperation;
import io.efashuffle.transfer.transport.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A foreign process that knows a target's fabric address and its published descriptor (address
 * and key) talks to it with raw fabric operations, bypassing every engine check: it can read the
 * published memory and nothing else, and it can write nowhere. The target registers its published
 * buffer for remote reads only and a second, unpublished buffer for local use only (as an
 * executor does with its shuffle memory and its receive pool).
 */
class RemoteAccessTest {
    private static final long BYTES = 1 << 20;
    private static final long SEED = 41;
    private static final int LEN = 4096;

    @ParameterizedTest(name = "provider {0}")
    @ValueSource(strings = {"tcp", "sockets"})
    void aForeignPeerReadsOnlyWhatWasPublishedAndWritesNothing(String provider) throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             TargetProcess target = TargetProcess.start(new FabricOptions(provider, "lo", ProgressMode.AUTO),
                     server.url(), "victim", BYTES, SEED, RemoteAccess.READ, BYTES);
             Arena arena = Arena.ofShared()) {
            SegmentDescriptor published = new HttpMetadataRegistry(server.url()).lookup("victim").orElseThrow();
            assertEquals(1, published.buffers().size(), "only the remotely readable buffer is published");
            BufferDescriptor shared = published.buffers().getFirst();
            assertEquals(target.bufferBase(), shared.base());
            assertFalse(shared.contains(target.privateBase(), 1), "the local-only buffer is not published");
            long key = shared.keys()[0];
            Probe probe = new Probe(provider, published.endpoint(), arena.allocate(LEN, 4096), target);

            assertNull(probe.run(Opcode.READ, shared.base(), key), "the published buffer is readable");
            assertEquals(-1, DataPattern.firstMismatch(probe.local, SEED, 0));

            List<String> refused = new ArrayList<>();
            refused.add(probe.writeRefused(shared.base(), key, "write to the published buffer"));
            refused.add(probe.writeRefused(target.privateBase(), key, "write to the private buffer, published key"));
            for (long guess : new long[] {1, 2, 3, key + 1, key - 1, key ^ (1L << 40)}) {
                refused.add(probe.writeRefused(target.privateBase(), guess, "write to the private buffer, key " + guess));
                refused.add(probe.readRefused(target.privateBase(), guess, "read of the private buffer, key " + guess));
                refused.add(probe.readRefused(shared.base(), guess, "read of the published buffer, key " + guess));
            }
            System.out.println("refused on " + provider + ":\n  " + String.join("\n  ", refused));

            assertArrayEquals(new long[] {-1, -1}, target.check(), "both buffers hold what the target put there");
            probe.local.fill((byte) 0);
            assertNull(probe.run(Opcode.READ, shared.base(), key), "the target still serves its readers");
            assertEquals(-1, DataPattern.firstMismatch(probe.local, SEED, 0));
        }
    }

    /**
     * shm checks keys and access only on its target-served path; its CMA fast path lets an
     * initiator copy straight into the target (libfabric 1.17 smr_rma_fast). So on shm the
     * boundary is the operating system's: the regions are files only their owner may open, and
     * process_vm_writev needs ptrace rights over the target. Another user gets neither.
     */
    @Test
    void shmRegionsAreOpenOnlyToTheirOwner() throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             TargetProcess target = TargetProcess.start(new FabricOptions("shm", null, ProgressMode.AUTO),
                     server.url(), "victim", BYTES, SEED, RemoteAccess.READ, BYTES)) {
            SegmentDescriptor published = new HttpMetadataRegistry(server.url()).lookup("victim").orElseThrow();
            String name = new String(published.endpoint().endpointNames().getFirst(), StandardCharsets.UTF_8)
                    .replace("\0", "");
            Path region = Path.of("/dev/shm", name.substring(name.indexOf("://") + 3));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(region), region.toString());
            assertEquals(Files.getOwner(Path.of("/proc", Long.toString(target.pid()))), Files.getOwner(region));
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
                // As another user (what a foreign process on a shared host is), the region cannot be opened.
                Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                        "dd", "if=" + region, "of=/dev/null", "count=1").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(1, p.waitFor(), out);
                assertTrue(out.contains("Permission denied"), out);
            }
        }
    }

    /**
     * Raw operations of the foreign process, each from a fresh transport: tcp refuses by dropping
     * the connection, and every probe must reach the target. Outcomes come within a bound.
     */
    private record Probe(String provider, EndpointAddresses victim, MemorySegment local, TargetProcess target) {
        Throwable run(Opcode op, long remoteAddress, long key) throws Exception {
            if (op == Opcode.WRITE) {
                local.fill((byte) 0x5a);
            }
            try (FabricTransport t = new FabricTransport(TransportConfig.defaults(provider).withNics(List.of("lo"))
                    .withOperationTimeout(Duration.ofSeconds(5)))) {
                RegisteredMemory mine = t.register(local, RemoteAccess.NONE);
                RemotePeer peer = t.connect("victim", victim);
                CompletableFuture<Throwable> done = new CompletableFuture<>();
                t.submit(new RmaOperation(op, local.address(), LEN, mine, peer, remoteAddress, 0, new long[] {key},
                        (o, err) -> done.complete(err), null));
                Throwable outcome = done.get(30, TimeUnit.SECONDS);
                t.unregister(mine);
                return outcome;
            }
        }

        String readRefused(long remoteAddress, long key, String what) throws Exception {
            Throwable e = run(Opcode.READ, remoteAddress, key);
            assertNotNull(e, what + " was allowed");
            return what + ": " + e.getMessage();
        }

        /**
         * tcp's initiator may complete a write once its bytes are sent; the target refuses it by
         * dropping the connection. So a refused write is one whose bytes did not land.
         */
        String writeRefused(long remoteAddress, long key, String what) throws Exception {
            Throwable e = run(Opcode.WRITE, remoteAddress, key);
            assertArrayEquals(new long[] {-1, -1}, target.check(), what + " landed");
            return what + ": " + (e == null ? "completed at the initiator, not applied by the target" : e.getMessage());
        }
    }

}
