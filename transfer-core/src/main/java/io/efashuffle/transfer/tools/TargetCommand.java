package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.engine.HttpMetadataRegistry;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.transport.FabricTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;

/**
 * The serving side of the bench and validator: registers a buffer filled with {@link Pattern},
 * publishes it, prints {@code READY <base>} and serves one-sided reads and writes (its progress
 * thread does, this thread only waits) until standard input closes or says "exit".
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

    @Override
    public Integer call() throws Exception {
        try (Arena arena = Arena.ofShared();
             HttpMetadataRegistry reg = new HttpMetadataRegistry(registry);
             TransferEngine engine = new TransferEngine(name, reg)) {
            MemorySegment buffer = arena.allocate(bytes, 4096);
            Pattern.fill(buffer, seed, 0);
            engine.installTransport(new FabricTransport(fabric.config()));
            engine.registerLocalMemory(buffer, "cpu:0");
            System.out.println("READY " + buffer.address());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
                // a parent may ask for nothing else; keep serving
            }
            engine.unregisterLocalMemory(buffer, false);
        }
        return 0;
    }
}
