package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.transport.ProgressMode;
import io.efashuffle.transfer.transport.TransportConfig;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Transport options shared by the tools (a picocli mixin). */
public final class FabricOptions {
    @Option(names = "--provider", defaultValue = "tcp", description = "auto, efa, shm, tcp or sockets (default: ${DEFAULT-VALUE})")
    public String provider = "tcp";

    @Option(names = "--nic", description = "libfabric domain; default 'lo' for tcp/sockets (keeps the tools on loopback), the provider's first otherwise")
    public String nic;

    @Option(names = "--progress", defaultValue = "auto", description = "progress thread idle mode: auto, spin, wait, park (default: ${DEFAULT-VALUE})")
    public ProgressMode progress = ProgressMode.AUTO;

    public FabricOptions() {}

    public FabricOptions(String provider, String nic, ProgressMode progress) {
        this.provider = provider;
        this.nic = nic;
        this.progress = progress;
    }

    public TransportConfig config() {
        List<String> nics = new ArrayList<>();
        if (nic != null) {
            nics.add(nic);
        } else if (provider.equals("tcp") || provider.equals("sockets")) {
            nics.add("lo");
        }
        return TransportConfig.defaults(provider).withNics(nics).withProgress(progress);
    }

    /** The same options as command-line arguments, for a child process. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("--provider", provider, "--progress", progress.name().toLowerCase()));
        if (nic != null) {
            args.addAll(List.of("--nic", nic));
        }
        return args;
    }
}
