package io.efashuffle.transfer.doctor;

import io.efashuffle.transfer.fabric.FabricHints;
import io.efashuffle.transfer.fabric.FabricInfo;
import io.efashuffle.transfer.fabric.Fi;
import io.efashuffle.transfer.fabric.LibfabricCopies;
import io.efashuffle.transfer.fabric.ProviderAttributes;
import io.efashuffle.transfer.fabric.SignalGuard;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.MemlockLimit;
import io.efashuffle.transfer.transport.ProviderSelection;
import io.efashuffle.transfer.transport.TransportConfig;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Checks a host for what the EFA shuffle needs; every finding that is not OK says what to do. */
public final class Doctor {
    private Doctor() {}

    public enum Status { OK, WARN, FAIL }

    /** One finding; {@code advice} is what to do about a WARN or FAIL (empty for OK). */
    public record Check(Status status, String name, String detail, String advice) {
        static Check ok(String name, String detail) {
            return new Check(Status.OK, name, detail, "");
        }
    }

    public record Report(List<Check> checks) {
        public boolean failed() {
            return checks.stream().anyMatch(c -> c.status() == Status.FAIL);
        }
    }

    /**
     * @param provider auto, efa, shm, tcp or sockets: what the user means to run with
     * @param nic      domain for the transport check, or null for the provider's default
     * @param root     prefix of /sys and /proc reads, so tests can point at a fake tree
     * @param env      the launcher's environment
     */
    public record Options(String provider, String nic, Path root, Map<String, String> env) {
        public Options {
            provider = provider.toLowerCase(Locale.ROOT).trim();
            if (!TransportConfig.PROVIDERS.contains(provider)) {
                throw new IllegalArgumentException("--provider '" + provider + "': allowed " + TransportConfig.PROVIDERS);
            }
        }

        /** A missing piece is fatal only for the provider the user asked for by name. */
        Status missing(String p) {
            return provider.equals(p) ? Status.FAIL : Status.WARN;
        }
    }

    static final String NO_EFA_ADVICE = "EFA interfaces exist only if the instance is launched with them; they "
            + "cannot be attached to a running instance. Launch an EFA-capable type (e.g. c5n.18xlarge, p4d, p5) "
            + "with an EFA network interface in a cluster placement group, and a security group allowing all "
            + "traffic to and from itself.";
    private static final long GIB = 1L << 30;

    public static Report run(Options o) {
        List<Check> out = new ArrayList<>();
        Check lib = libfabric();
        out.add(lib);
        boolean loaded = lib.status() == Status.OK;
        if (loaded) {
            for (String p : List.of("efa", "shm", "tcp", "sockets")) {
                out.add(guard("provider " + p, () -> provider(p, o)));
            }
        }
        out.addAll(efaDevices(o));
        out.add(deviceRdmaEnv(o.env()));
        out.add(memlock(MemlockLimit.current()));
        out.add(ptraceScope(o));
        out.add(hugePages(o));
        out.add(registrationBudget(o));
        out.add(forkSafety(o, rdmaSystem()));
        if (loaded) {
            out.add(guard("transport " + o.provider(), () -> transport(o)));
        }
        out.add(signalHandlers(SignalGuard.reclaimed()));
        return new Report(List.copyOf(out));
    }

    static Check libfabric() {
        try {
            String path = Fi.load();
            Optional<String> copies = LibfabricCopies.problem();
            if (copies.isPresent()) {
                return new Check(Status.FAIL, "libfabric", "more than one copy loaded", copies.get());
            }
            return Check.ok("libfabric", path + ", version " + Fi.versionString(Fi.libraryVersion()) + ", one copy loaded");
        } catch (RuntimeException | LinkageError e) {
            return new Check(Status.FAIL, "libfabric", "not loadable", String.valueOf(e.getMessage()));
        }
    }

    static Check provider(String p, Options o) {
        String name = "provider " + p;
        try (FabricInfo info = FabricInfo.query(FabricHints.of(p, null), Fi.requestedApiVersion())) {
            if (info == null) {
                return new Check(o.missing(p), name, "no RDM endpoint with RMA offered", p.equals("efa")
                        ? NO_EFA_ADVICE + " Then check 'fi_info -p efa'."
                        : "Use a libfabric built with the " + p + " provider ('fi_info -l' lists them), or another --provider.");
            }
            String full = "";
            Set<String> domains = new LinkedHashSet<>();
            Set<String> fabrics = new LinkedHashSet<>();
            for (MemorySegment e : info.entries()) {
                ProviderAttributes a = FabricInfo.attributes(e);
                full = a.provider();
                domains.add(a.domain());
                fabrics.add(a.fabric() + " (tx depth " + a.txSize() + ", progress " + a.progressString() + ")");
            }
            String detail = full + ", domains " + domains + ", fabrics " + fabrics;
            if (p.equals("efa") && Fi.libraryVersion() < Fi.MIN_EFA_API) {
                return new Check(Status.FAIL, name, detail + "; libfabric " + Fi.versionString(Fi.libraryVersion())
                        + " < 1.18 keeps device RDMA read off", "Install the AWS EFA software (libfabric >= 1.18).");
            }
            return Check.ok(name, detail);
        }
    }

    /** Reads one RDMA device from sysfs: its driver and every hardware counter file. */
    record Device(String name, String driver, Map<String, String> counters) {
        static Device of(Path dir) {
            String driver = "";
            try {
                driver = Files.readSymbolicLink(dir.resolve("device/driver")).getFileName().toString();
            } catch (IOException | UnsupportedOperationException e) {
                // no driver link: fall back to the name
            }
            Map<String, String> counters = new LinkedHashMap<>();
            for (String sub : List.of("ports/1/hw_counters", "hw_counters")) {
                for (Path f : list(dir.resolve(sub))) {
                    String v = read(f);
                    if (v != null) {
                        counters.putIfAbsent(f.getFileName().toString(), v);
                    }
                }
            }
            return new Device(dir.getFileName().toString(), driver, counters);
        }

        boolean efa() {
            return driver.equals("efa") || name.startsWith("rdmap");
        }

        /** The device exposes rdma_read counters only when it can do RDMA read in hardware. */
        boolean rdmaRead() {
            return counters.containsKey("rdma_read_bytes");
        }
    }

    static List<Check> efaDevices(Options o) {
        Path dir = o.root().resolve("sys/class/infiniband");
        List<Device> devices = list(dir).stream().map(Device::of).toList();
        List<Check> out = new ArrayList<>();
        List<String> efa = devices.stream().filter(Device::efa).map(Device::name).toList();
        out.add(efa.isEmpty()
                ? new Check(o.missing("efa"), "efa devices", devices.isEmpty() ? "no RDMA devices in " + dir
                        : "none among " + devices.stream().map(Device::name).toList(), NO_EFA_ADVICE)
                : Check.ok("efa devices", efa.toString()));
        for (Device d : devices) {
            String counters = d.counters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            String kind = d.efa() ? "efa" : "not EFA (driver " + (d.driver().isEmpty() ? "unknown" : d.driver()) + ")";
            String tail = counters.isEmpty() ? "" : "; counters: " + counters;
            if (!d.efa() || d.rdmaRead()) {
                out.add(Check.ok("device " + d.name(), kind + (d.efa() ? ", device RDMA read available" : "") + tail));
            } else {
                out.add(new Check(Status.WARN, "device " + d.name(), kind + ", no rdma_read counters: RDMA read may be "
                        + "emulated" + tail, "Use an instance type with EFA RDMA read (e.g. p4d, p5, trn1) and "
                        + "current EFA drivers; emulated reads cost the serving executor CPU."));
            }
        }
        return out;
    }

    static Check deviceRdmaEnv(Map<String, String> env) {
        String v = env.get("FI_EFA_USE_DEVICE_RDMA");
        if ("0".equals(v)) {
            return new Check(Status.WARN, "FI_EFA_USE_DEVICE_RDMA", "0: EFA emulates RDMA read with messages",
                    "Unset FI_EFA_USE_DEVICE_RDMA where the device supports RDMA read; emulation costs the "
                            + "serving executor CPU.");
        }
        return Check.ok("FI_EFA_USE_DEVICE_RDMA", v == null ? "unset (device RDMA read used when supported)" : v);
    }

    static Check memlock(MemlockLimit m) {
        String name = "memlock";
        if (m.unlimited()) {
            return Check.ok(name, "unlimited");
        }
        if (m.canLockWithoutLimit()) {
            return Check.ok(name, "CAP_IPC_LOCK: limit not enforced");
        }
        String advice = "EFA pins registered memory. Raise RLIMIT_MEMLOCK: ulimit -l unlimited; LimitMEMLOCK=infinity "
                + "in the YARN NodeManager's systemd unit (executors inherit it); '* - memlock unlimited' in "
                + "/etc/security/limits.conf.";
        if (m.softBytes() < 0) {
            return new Check(Status.WARN, name, "could not read /proc/self/limits", advice);
        }
        String detail = (m.softBytes() >> 20) + " MiB (" + m.softBytes() + " bytes)";
        return m.softBytes() < GIB ? new Check(Status.WARN, name, detail + " is below 1 GiB", advice)
                : Check.ok(name, detail);
    }

    static Check ptraceScope(Options o) {
        String name = "ptrace_scope";
        String v = read(o.root().resolve("proc/sys/kernel/yama/ptrace_scope"));
        if (v == null) {
            return Check.ok(name, "no Yama: shm may read peer memory (CMA)");
        }
        int scope;
        try {
            scope = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return new Check(Status.WARN, name, "unreadable value '" + v + "'", "Check /proc/sys/kernel/yama/ptrace_scope.");
        }
        String advice = "shm uses process_vm_readv between processes of the same user, which ptrace_scope >= 1 "
                + "blocks for non-descendants: sysctl kernel.yama.ptrace_scope=0, or use tcp/efa.";
        if (scope == 0) {
            return Check.ok(name, "0: shm may read peer memory (CMA)");
        }
        Status s = scope == 1 ? Status.WARN : o.missing("shm");
        return new Check(s, name, scope + ": shm cross-process reads (CMA) are blocked", advice);
    }

    static Check hugePages(Options o) {
        String meminfo = read(o.root().resolve("proc/meminfo"));
        String total = field(meminfo, "HugePages_Total"), size = field(meminfo, "Hugepagesize");
        String env = o.env().get("FI_EFA_USE_HUGE_PAGE");
        // Informational only: EFA falls back to normal pages for its bounce buffers.
        return Check.ok("huge pages", "HugePages_Total=" + total + " Hugepagesize=" + size
                + (env == null ? "" : " FI_EFA_USE_HUGE_PAGE=" + env)
                + "; EFA puts its internal bounce buffers in huge pages when reserved (vm.nr_hugepages);"
                + " FI_EFA_USE_HUGE_PAGE=0 turns that off where huge pages are scarce");
    }

    /**
     * How much memory one EFA NIC can hold registered: its page table (about 22M entries, the
     * figure Mooncake's EFA transport works to) covers 88 GiB in 4 KiB pages and 44 TiB in 2 MiB
     * pages, so whether executors get transparent huge pages decides the budget.
     */
    static Check registrationBudget(Options o) {
        String thp = read(o.root().resolve("sys/kernel/mm/transparent_hugepage/enabled"));
        String mode = thp == null ? "unknown" : thp.contains("[") ? thp.substring(thp.indexOf('[') + 1, thp.indexOf(']')) : thp;
        String detail = "EFA page table about 22M entries per NIC: 88 GiB registered in 4 KiB pages, 44 TiB in 2 MiB "
                + "pages; transparent huge pages: " + mode
                + (mode.equals("never") ? "" : " (executor shuffle memory asks for them with madvise)");
        if (mode.equals("never") && !o.provider().equals("tcp") && !o.provider().equals("shm")) {
            return new Check(Status.WARN, "registration budget", detail, "With THP 'never' every registered 4 KiB "
                    + "page takes a NIC page-table entry: echo madvise > /sys/kernel/mm/transparent_hugepage/enabled "
                    + "(or keep spark.shuffle.efa.buffer.budget and the receive pool well under 88 GiB per NIC).");
        }
        return Check.ok("registration budget", detail);
    }

    /**
     * Whether the kernel copies pinned pages on fork (then neither libfabric nor rdma-core needs
     * fork support): rdma-core asks the kernel over netlink ({@code RDMA_NLDEV_SYS_ATTR_COPY_ON_FORK}),
     * which {@code rdma system} prints; without that answer, kernel 5.13 is where it arrived.
     *
     * @param rdmaSystem what {@code rdma system} printed, or null if it could not run
     */
    static Check forkSafety(Options o, String rdmaSystem) {
        String release = read(o.root().resolve("proc/sys/kernel/osrelease"));
        String set = Stream.of("FI_EFA_FORK_SAFE", "RDMAV_FORK_SAFE").filter(k -> !o.env().getOrDefault(k, "").isEmpty())
                .map(k -> k + "=" + o.env().get(k)).collect(Collectors.joining(" "));
        String detail = "kernel " + (release == null ? "unknown" : release) + (set.isEmpty() ? "" : ", " + set);
        String advice = "Spark executors fork Python workers and pipes: set FI_EFA_FORK_SAFE=1 (or RDMAV_FORK_SAFE=1) in "
                + "the executor environment (spark.executorEnv.FI_EFA_FORK_SAFE=1), or use kernel >= 5.13.";
        if (rdmaSystem != null && rdmaSystem.contains("copy-on-fork on")) {
            return Check.ok("fork safety", detail + ": copy-on-fork on ('rdma system'), fork support unneeded");
        }
        if (rdmaSystem != null && rdmaSystem.contains("copy-on-fork off")) {
            return set.isEmpty() ? new Check(Status.WARN, "fork safety", detail + ": copy-on-fork off ('rdma system')",
                    advice) : Check.ok("fork safety", detail + ": copy-on-fork off, fork support set");
        }
        if (kernelAtLeast(release, 5, 13)) {
            return Check.ok("fork safety", detail + ": copy-on-fork keeps pinned pages safe");
        }
        if (!set.isEmpty()) {
            return Check.ok("fork safety", detail);
        }
        return new Check(Status.WARN, "fork safety", detail + " may lack copy-on-fork for pinned pages", advice);
    }

    /** The output of {@code rdma system} (iproute2), or null where it is missing or fails (no RDMA netlink). */
    static String rdmaSystem() {
        try {
            Process p = new ProcessBuilder("rdma", "system").redirectErrorStream(true).start();
            if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** What the providers opened above did to the JVM's signal handlers (informational: they are put back). */
    static Check signalHandlers(List<SignalGuard.Reclaim> reclaimed) {
        return Check.ok("JVM signal handlers", reclaimed.isEmpty() ? "no libfabric call replaced one"
                : "put back after libfabric replaced them (no LD_PRELOAD needed): "
                        + String.join(", ", reclaimed.stream().map(Object::toString).distinct().toList()));
    }

    static Check transport(Options o) {
        String name = "transport " + o.provider();
        try {
            String p = ProviderSelection.resolve(o.provider());
            // tcp/sockets would otherwise pick the first interface; lo keeps the smoke test local.
            List<String> nics = o.nic() != null ? List.of(o.nic())
                    : p.equals("tcp") || p.equals("sockets") ? List.of("lo") : List.of();
            try (FabricTransport t = new FabricTransport(TransportConfig.defaults(p).withNics(nics))) {
                return Check.ok(name, t.describe());
            }
        } catch (RuntimeException e) {
            return new Check(Status.FAIL, name, String.valueOf(e.getMessage()),
                    "Fix the provider/device findings above; 'fi_info -p <provider>' lists what libfabric offers.");
        }
    }

    /** A check that throws is reported as FAIL rather than ending the run. */
    private static Check guard(String name, Supplier<Check> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return new Check(Status.FAIL, name, String.valueOf(e.getMessage()), "Run 'fi_info' to see libfabric's own view.");
        }
    }

    static boolean kernelAtLeast(String release, int major, int minor) {
        Matcher m = release == null ? null : Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (m == null || !m.find()) {
            return false;
        }
        int a = Integer.parseInt(m.group(1)), b = Integer.parseInt(m.group(2));
        return a > major || (a == major && b >= minor);
    }

    private static String field(String text, String key) {
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.startsWith(key + ":")) {
                    return line.substring(key.length() + 1).trim();
                }
            }
        }
        return "unknown";
    }

    /** The trimmed content of a file, or null when absent or unreadable. */
    static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The entries of a directory, sorted; empty when absent. */
    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
