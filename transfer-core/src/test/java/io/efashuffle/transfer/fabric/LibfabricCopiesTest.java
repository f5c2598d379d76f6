package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibfabricCopiesTest {
    @Test
    void distinctLibfabricFilesAreFoundInAMemoryMap() {
        List<String> maps = List.of(
                "7f1c2a000000-7f1c2a020000 r--p 00000000 fe:01 1234 /usr/lib/x86_64-linux-gnu/libfabric.so.1.18.1",
                "7f1c2a020000-7f1c2a120000 r-xp 00020000 fe:01 1234 /usr/lib/x86_64-linux-gnu/libfabric.so.1.18.1",
                "7f1c2b000000-7f1c2b020000 r-xp 00000000 fe:01 9876 /opt/amazon/efa/lib64/libfabric.so.1 (deleted)",
                "7f1c2c000000-7f1c2c020000 r-xp 00000000 fe:01 5555 /usr/lib/x86_64-linux-gnu/libfabric-extra.so",
                "7f1c2c000000-7f1c2c020000 r-xp 00000000 fe:01 5556 /usr/lib/x86_64-linux-gnu/libefa.so.1",
                "7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 [stack]",
                "7f1c2d000000-7f1c2d001000 rw-p 00000000 00:00 0");
        assertEquals(Set.of("/usr/lib/x86_64-linux-gnu/libfabric.so.1.18.1", "/opt/amazon/efa/lib64/libfabric.so.1"),
                LibfabricCopies.mapped(maps));
    }

    @Test
    void thisProcessHasExactlyOneOnceATransportStarted() {
        try (FabricTransport t = new FabricTransport(TransportConfig.defaults("tcp").withNics(List.of("lo")))) {
            Set<String> copies = LibfabricCopies.inThisProcess();
            assertEquals(1, copies.size(), copies.toString());
            assertTrue(copies.iterator().next().contains("libfabric.so"), copies.toString());
        }
    }
}
