package io.efashuffle.transfer.doctor;

import io.efashuffle.transfer.doctor.Doctor.Check;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** Prints the {@link Doctor}'s findings, one line each, or as JSON. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check this host for EFA/libfabric readiness (libfabric, providers, EFA devices and counters, "
                + "memlock, ptrace scope, huge pages, fork safety, signal chaining, a transport smoke test); "
                + "exit 1 on any FAIL.")
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--provider", defaultValue = "auto",
            description = "provider you mean to use: auto, efa, shm, tcp or sockets (default: ${DEFAULT-VALUE})")
    String provider;

    @Option(names = "--nic", description = "domain for the transport check; default 'lo' for tcp/sockets")
    String nic;

    @Option(names = "--json", description = "print the checks as a JSON array")
    boolean json;

    @Option(names = "--sysfs-root", defaultValue = "/", description = "root under which /sys and /proc are read (default: ${DEFAULT-VALUE})")
    Path root;

    @Override
    public Integer call() {
        Doctor.Options options;
        try {
            options = new Doctor.Options(provider, nic, root, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Doctor.Report report = Doctor.run(options);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(report.checks()));
        } else {
            report.checks().forEach(c -> out.println(line(c)));
        }
        out.flush();
        return report.failed() ? 1 : 0;
    }

    static String line(Check c) {
        String s = String.format("%-4s  %-22s  %s", c.status(), c.name(), c.detail());
        return c.status() == Doctor.Status.OK || c.advice().isEmpty() ? s : s + "  -> " + c.advice();
    }

    static String json(List<Check> checks) {
        return checks.stream().map(c -> "{\"status\":" + quote(c.status().name()) + ",\"name\":" + quote(c.name())
                        + ",\"detail\":" + quote(c.detail()) + ",\"advice\":" + quote(c.advice()) + "}")
                .collect(Collectors.joining(",\n  ", "[\n  ", "\n]"));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return b.append('"').toString();
    }
}
