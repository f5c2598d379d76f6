package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.RemoteAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Mooncake's transfer_engine_validator: two processes, patterns, every byte checked. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Write and read patterns between two processes and check every byte; exit 1 on any mismatch.")
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    FabricOptions fabric = new FabricOptions();

    @Option(names = "--threads", defaultValue = "3", description = "initiator threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
        TransferValidator.Report r = validate(fabric, threads);
        System.out.printf("validate provider=%s: %d transfers, %d bytes, %d mismatches%n", fabric.provider,
                r.transfers(), r.bytes(), r.mismatches().size());
        r.mismatches().stream().limit(20).forEach(m -> System.out.println("  MISMATCH " + m));
        System.out.println(r.ok() ? "OK" : "FAILED");
        return r.ok() ? 0 : 1;
    }

    /** Starts a registry and a target process, validates against it, tears everything down. */
    public static TransferValidator.Report validate(FabricOptions fabric, int threads) throws Exception {
        long seed = 7;
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             TargetProcess target = TargetProcess.start(fabric, server.url(), "target", TransferValidator.REMOTE_BYTES, seed);
             Arena arena = Arena.ofShared();
             TransferEngine engine = new TransferEngine("validator", new HttpMetadataRegistry(server.url()))) {
            engine.installTransport(new FabricTransport(fabric.config()));
            MemorySegment local = arena.allocate(TransferValidator.LOCAL_BYTES, 4096);
            engine.registerLocalMemory(local, "cpu:0", RemoteAccess.NONE);
            long id = engine.openSegment("target", Duration.ofSeconds(30));
            TransferValidator.Report report = new TransferValidator(engine, local, id, target.bufferBase(),
                    TransferValidator.REMOTE_BYTES, seed).run(threads);
            engine.unregisterLocalMemory(local);
            return report;
        }
    }
}
