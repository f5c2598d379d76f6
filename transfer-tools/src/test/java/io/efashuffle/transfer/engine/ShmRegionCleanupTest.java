package io.efashuffle.transfer.engine;

import io.efashuffle.transfer.tools.FabricOptions;
import io.efashuffle.transfer.tools.MetadataRegistryServer;
import io.efashuffle.transfer.tools.TargetProcess;
import io.efashuffle.transfer.transport.ProgressMode;
import io.efashuffle.transfer.transport.RemoteAccess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process stopped with SIGTERM (as a Spark worker or a kubelet stops an executor) leaves no
 * shm region behind: libfabric would unlink it only from its own signal handler, which the JVM's
 * replaces, and a process that never closes its transport would leave 16 MiB of tmpfs.
 */
class ShmRegionCleanupTest {

    @Test
    void aProcessStoppedWithSigtermLeavesNoShmRegion() throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             TargetProcess target = TargetProcess.start(new FabricOptions("shm", null, ProgressMode.AUTO),
                     server.url(), "terminated", 1 << 20, 5, RemoteAccess.READ, 0)) {
            long pid = target.pid();
            assertFalse(regions(pid).isEmpty(), "the shm endpoint has a region");
            target.terminate();
            assertTrue(regions(pid).isEmpty(), "regions left: " + regions(pid));
        }
    }

    private static List<Path> regions(long pid) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(pid + ":")).toList();
        }
    }
}
