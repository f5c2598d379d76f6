package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.RemoteAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;

/**
 * The serving side of the bench and validator: registers a buffer filled with {@link DataPattern},
 * publishes it, prints {@code READY <base> [<private base>]} and serves one-sided reads (and writes
 * with {@code --remote-access READ_WRITE}; its progress thread does, this thread only waits) until
 * standard input closes or says "exit". On "check" it prints {@code CHECK <published> <private>}, the
 * first offset of each buffer that no longer holds its pattern (-1: intact).
 */
@Command(name = "target", description = "Serve a registered, patterned buffer until stdin closes (used by bench/validate).")
public final class TargetCommand implements Callable<Integer> {
    @Mixin
    FabricOptions fabric = new FabricOptions();

    @Option(names = "--registry", required = true, description = "registry URL")
    String registry;

    @Option(names = "--name", defaultValue = "target")
    String name;

    @Option(names = "--bytes", defaultValue = "268435456", description = "buffer size")
    long bytes;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--remote-access", defaultValue = "READ",
            description = "what peers may do to the buffer: READ or READ_WRITE (default: ${DEFAULT-VALUE})")
    RemoteAccess access;

    @Option(names = "--private-bytes", defaultValue = "0",
            description = "also register an unpublished local-only buffer of this size (its base follows READY)")
    long privateBytes;

    @Override
    public Integer call() throws Exception {
        try (Arena arena = Arena.ofShared();
             HttpMetadataRegistry reg = new HttpMetadataRegistry(registry);
             TransferEngine engine = new TransferEngine(name, reg)) {
            MemorySegment buffer = arena.allocate(bytes, 4096);
            DataPattern.fill(buffer, seed, 0);
            engine.installTransport(new FabricTransport(fabric.config()));
            engine.registerLocalMemory(buffer, "cpu:0", access);
            MemorySegment own = privateBytes > 0 ? arena.allocate(privateBytes, 4096) : null;
            if (own != null) {
                DataPattern.fill(own, seed + 1, 0);
                engine.registerLocalMemory(own, "cpu:0", RemoteAccess.NONE);
            }
            System.out.println("READY " + buffer.address() + (own == null ? "" : " " + own.address()));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
                if (line.trim().equals("check")) {
                    // Whether both buffers still hold their pattern: what no peer was allowed to change.
                    System.out.println("CHECK " + DataPattern.firstMismatch(buffer, seed, 0) + " "
                            + (own == null ? -1 : DataPattern.firstMismatch(own, seed + 1, 0)));
                    System.out.flush();
                }
            }
            engine.unregisterLocalMemory(buffer, false);
            if (own != null) {
                engine.unregisterLocalMemory(own, false);
            }
        }
        return 0;
    }
}
