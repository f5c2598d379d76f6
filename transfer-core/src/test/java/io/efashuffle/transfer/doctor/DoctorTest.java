package io.efashuffle.transfer.doctor;

import io.efashuffle.transfer.fabric.SignalGuard;
import io.efashuffle.transfer.doctor.Doctor.Check;
import io.efashuffle.transfer.doctor.Doctor.Status;
import io.efashuffle.transfer.transport.MemlockLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorTest {
    @TempDir
    Path root;

    private Doctor.Report run(String provider, Map<String, String> env) {
        return Doctor.run(new Doctor.Options(provider, null, root, env));
    }

    private static Check check(Doctor.Report r, String name) {
        return r.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check '" + name + "' in " + r.checks()));
    }

    private void write(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content + "\n");
    }

    @Test
    void libfabricAndSoftwareProvidersAreOkOnThisMachine() {
        Doctor.Report r = run("tcp", Map.of());
        assertEquals(Status.OK, check(r, "libfabric").status());
        assertTrue(check(r, "libfabric").detail().contains("version 1."));
        assertEquals(Status.OK, check(r, "provider tcp").status());
        assertTrue(check(r, "provider tcp").detail().contains("lo"), check(r, "provider tcp").detail());
        assertEquals(Status.OK, check(r, "provider shm").status());
        Check transport = check(r, "transport tcp");
        assertEquals(Status.OK, transport.status(), transport.detail());
        assertTrue(transport.detail().contains("domain=lo"), transport.detail());
    }

    @Test
    void missingEfaWarnsForAutoAndTcpButFailsWhenEfaIsRequested() {
        for (String p : new String[] {"auto", "tcp"}) {
            Doctor.Report r = run(p, Map.of());
            assertEquals(Status.WARN, check(r, "efa devices").status(), p);
            assertTrue(check(r, "efa devices").advice().contains("cannot be attached"));
            assertEquals(Status.WARN, check(r, "provider efa").status(), p);
            assertFalse(r.failed(), p + ": " + r.checks());
        }
        Doctor.Report efa = run("efa", Map.of());
        assertEquals(Status.FAIL, check(efa, "efa devices").status());
        assertEquals(Status.FAIL, check(efa, "provider efa").status());
        assertEquals(Status.FAIL, check(efa, "transport efa").status());
        assertTrue(efa.failed());
    }

    @Test
    void fakeEfaDevicesAreListedWithTheirCounters() throws IOException {
        Path drivers = Files.createDirectories(root.resolve("sys/bus/pci/drivers/efa"));
        Path dev = Files.createDirectories(root.resolve("sys/class/infiniband/rdmap0s6/device"));
        Files.createSymbolicLink(dev.resolve("driver"), drivers);
        write("sys/class/infiniband/rdmap0s6/ports/1/hw_counters/rdma_read_bytes", "123456");
        write("sys/class/infiniband/rdmap0s6/ports/1/hw_counters/rdma_read_wrs", "42");
        write("sys/class/infiniband/rdmap0s6/ports/1/hw_counters/tx_bytes", "999");
        write("sys/class/infiniband/rdmap0s6/hw_counters/lifespan", "12");
        write("sys/class/infiniband/rdmap1s7/hw_counters/send_bytes", "5");

        Doctor.Report r = run("auto", Map.of());
        Check all = check(r, "efa devices");
        assertEquals(Status.OK, all.status());
        assertEquals("[rdmap0s6, rdmap1s7]", all.detail());
        Check withRead = check(r, "device rdmap0s6");
        assertEquals(Status.OK, withRead.status());
        assertTrue(withRead.detail().contains("device RDMA read available"), withRead.detail());
        for (String counter : new String[] {"rdma_read_bytes=123456", "rdma_read_wrs=42", "tx_bytes=999", "lifespan=12"}) {
            assertTrue(withRead.detail().contains(counter), withRead.detail());
        }
        Check withoutRead = check(r, "device rdmap1s7");
        assertEquals(Status.WARN, withoutRead.status());
        assertTrue(withoutRead.detail().contains("RDMA read may be emulated"), withoutRead.detail());
        assertTrue(withoutRead.detail().contains("send_bytes=5"), withoutRead.detail());
    }

    @Test
    void deviceRdmaTurnedOffIsAWarning() {
        assertEquals(Status.WARN, Doctor.deviceRdmaEnv(Map.of("FI_EFA_USE_DEVICE_RDMA", "0")).status());
        assertEquals(Status.OK, Doctor.deviceRdmaEnv(Map.of()).status());
    }

    @Test
    void memlockIsOkWhenUnlimitedOrPrivilegedOrLargeAndWarnsBelowOneGib() {
        assertEquals(Status.OK, Doctor.memlock(new MemlockLimit(Long.MAX_VALUE, true, false)).status());
        assertEquals(Status.OK, Doctor.memlock(new MemlockLimit(64 << 10, false, true)).status());
        assertEquals(Status.OK, Doctor.memlock(new MemlockLimit(2L << 30, false, false)).status());
        Check small = Doctor.memlock(new MemlockLimit(8L << 20, false, false));
        assertEquals(Status.WARN, small.status());
        assertTrue(small.advice().contains("LimitMEMLOCK=infinity") && small.advice().contains("ulimit -l unlimited"));
        assertEquals(Status.WARN, Doctor.memlock(new MemlockLimit(-1, false, false)).status());
    }

    @Test
    void ptraceScopeBlocksShmAboveZero() throws IOException {
        assertEquals(Status.OK, Doctor.ptraceScope(new Doctor.Options("shm", null, root, Map.of())).status());
        write("proc/sys/kernel/yama/ptrace_scope", "1");
        Check one = Doctor.ptraceScope(new Doctor.Options("shm", null, root, Map.of()));
        assertEquals(Status.WARN, one.status());
        assertTrue(one.advice().contains("kernel.yama.ptrace_scope=0"));
        write("proc/sys/kernel/yama/ptrace_scope", "2");
        assertEquals(Status.FAIL, Doctor.ptraceScope(new Doctor.Options("shm", null, root, Map.of())).status());
        assertEquals(Status.WARN, Doctor.ptraceScope(new Doctor.Options("tcp", null, root, Map.of())).status());
    }

    @Test
    void forkSafetyWarnsOnlyOnOldKernelsWithoutTheEnvironment() throws IOException {
        write("proc/sys/kernel/osrelease", "5.10.0-28-amd64");
        Doctor.Options bare = new Doctor.Options("tcp", null, root, Map.of());
        assertEquals(Status.WARN, Doctor.forkSafety(bare, null).status());
        assertEquals(Status.OK, Doctor.forkSafety(new Doctor.Options("tcp", null, root,
                Map.of("RDMAV_FORK_SAFE", "1")), null).status());
        // the kernel's own answer wins over its version
        assertEquals(Status.OK, Doctor.forkSafety(bare, "copy-on-fork on\n").status());
        write("proc/sys/kernel/osrelease", "6.1.0-13-amd64");
        assertEquals(Status.OK, Doctor.forkSafety(bare, null).status());
        assertEquals(Status.WARN, Doctor.forkSafety(bare, "netns shared copy-on-fork off\n").status());
    }

    @Test
    void theRegistrationBudgetFollowsTransparentHugePages() throws IOException {
        write("sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never");
        Check madvise = Doctor.registrationBudget(new Doctor.Options("efa", null, root, Map.of()));
        assertEquals(Status.OK, madvise.status());
        assertTrue(madvise.detail().contains("88 GiB") && madvise.detail().contains("madvise"), madvise.detail());
        write("sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]");
        Check never = Doctor.registrationBudget(new Doctor.Options("efa", null, root, Map.of()));
        assertEquals(Status.WARN, never.status());
        assertTrue(never.advice().contains("transparent_hugepage"), never.advice());
        assertEquals(Status.OK, Doctor.registrationBudget(new Doctor.Options("tcp", null, root, Map.of())).status());
    }

    @Test
    void hugePagesAreReportedWithoutWarning() throws IOException {
        write("proc/meminfo", "MemTotal: 1 kB\nHugePages_Total:      16\nHugepagesize:    2048 kB");
        Check c = Doctor.hugePages(new Doctor.Options("efa", null, root, Map.of()));
        assertEquals(Status.OK, c.status());
        assertTrue(c.detail().contains("HugePages_Total=16 Hugepagesize=2048 kB"), c.detail());
    }

    @Test
    void reclaimedSignalHandlersAreReportedNotWarned() {
        Check none = Doctor.signalHandlers(List.of());
        assertEquals(Status.OK, none.status());
        assertTrue(none.detail().contains("no libfabric call replaced one"), none.detail());
        Check some = Doctor.signalHandlers(List.of(
                new SignalGuard.Reclaim("SIGSEGV", "fi_endpoint", "/lib/libfabric.so.1"),
                new SignalGuard.Reclaim("SIGSEGV", "fi_endpoint", "/lib/libfabric.so.1")));
        assertEquals(Status.OK, some.status());
        assertEquals("put back after libfabric replaced them (no LD_PRELOAD needed): "
                + "SIGSEGV (/lib/libfabric.so.1, during fi_endpoint)", some.detail());
    }

    @Test
    void commandExitCodeAndJson() {
        StringWriter text = new StringWriter();
        CommandLine ok = new CommandLine(new DoctorCommand());
        ok.setOut(new PrintWriter(text));
        assertEquals(0, ok.execute("--provider", "tcp", "--sysfs-root", root.toString()));
        assertTrue(text.toString().lines().anyMatch(l -> l.startsWith("OK    provider tcp")), text.toString());
        assertTrue(text.toString().lines().anyMatch(l -> l.startsWith("WARN  efa devices") && l.contains("->")));

        StringWriter json = new StringWriter();
        CommandLine efa = new CommandLine(new DoctorCommand());
        efa.setOut(new PrintWriter(json));
        assertEquals(1, efa.execute("--provider", "efa", "--json", "--sysfs-root", root.toString()));
        String s = json.toString().trim();
        assertTrue(s.startsWith("[") && s.endsWith("]"), s);
        assertTrue(s.contains("{\"status\":\"FAIL\",\"name\":\"efa devices\""), s);

        assertEquals(2, new CommandLine(new DoctorCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("--provider", "ib"));
    }
}
