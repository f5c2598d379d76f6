package io.efashuffle.transfer.doctor;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The plugin jar's entry point ({@code java -jar shuffle-efa-<version>.jar doctor}): only the
 * {@code doctor}, so a node can be checked with the jar it runs. The other tools are in
 * transfer-tools, which the launcher uses.
 */
@Command(name = "efa-shuffle", mixinStandardHelpOptions = true, version = "efa-shuffle doctor 0.1.0",
        subcommands = DoctorCommand.class, description = "checks a node for the EFA shuffle")
public final class DoctorCli {
    private DoctorCli() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new DoctorCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
