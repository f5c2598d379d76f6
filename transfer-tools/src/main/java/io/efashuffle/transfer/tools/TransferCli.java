package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.doctor.DoctorCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point of the tools: {@code doctor}, {@code transfer-bench}, {@code validate}, {@code target}, {@code peer-bench}. */
@Command(name = "efa-shuffle", mixinStandardHelpOptions = true, version = "efa-shuffle transfer-tools 0.1.0",
        subcommands = {DoctorCommand.class, TransferBenchCommand.class, ValidateCommand.class, TargetCommand.class,
                PeerInsertBenchCommand.class},
        description = "libfabric transfer engine tools")
public final class TransferCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (enum values such as --progress are case-insensitive). */
    public static CommandLine commandLine() {
        return new CommandLine(new TransferCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
