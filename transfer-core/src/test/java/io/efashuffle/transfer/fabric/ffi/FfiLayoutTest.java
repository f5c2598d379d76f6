package io.efashuffle.transfer.fabric.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the hand-maintained jextract-shaped bindings against the installed libfabric headers:
 * every named member's offset and size, every struct's size and every {@code FI_*} constant is
 * compared with what gcc computes from the C headers. A wrong layout here means silent memory
 * corruption at runtime, so this test fails (never skips) when the toolchain is missing.
 */
class FfiLayoutTest {

    /** Every struct class of the package (all but fabric_h, LibfabricLibrary, LibfabricUnavailableException). */
    private static final List<String> STRUCT_CLASSES = List.of(
            "fi_av_attr", "fi_context2", "fi_cq_attr", "fi_cq_entry", "fi_cq_err_entry",
            "fi_domain_attr", "fi_ep_attr", "fi_eq_attr", "fi_eq_err_entry", "fi_fabric_attr",
            "fi_info", "fi_msg_rma", "fi_ops", "fi_ops_av", "fi_ops_cm", "fi_ops_cq",
            "fi_ops_domain", "fi_ops_ep", "fi_ops_eq", "fi_ops_fabric", "fi_ops_mr", "fi_ops_rma",
            "fi_rma_iov", "fi_rx_attr", "fi_tx_attr", "fid", "fid_av", "fid_cq", "fid_domain",
            "fid_ep", "fid_eq", "fid_fabric", "fid_mr", "iovec");

    /** Function-like macros in fabric_h; they take arguments, so they are not constants. */
    private static final List<String> NOT_CONSTANTS = List.of("FI_VERSION", "FI_MAJOR", "FI_MINOR");

    private static final List<String> HEADERS = List.of(
            "rdma/fabric.h", "rdma/fi_domain.h", "rdma/fi_endpoint.h", "rdma/fi_rma.h",
            "rdma/fi_cm.h", "rdma/fi_eq.h", "rdma/fi_errno.h", "rdma/fi_ext.h",
            "sys/uio.h", "stddef.h", "stdio.h");

    /** PosixSignals' glibc structs and signal numbers; Dl_info needs _GNU_SOURCE. */
    private static final List<String> LIBC_HEADERS = List.of("signal.h", "dlfcn.h", "stddef.h", "stdio.h");

    private static final Path FABRIC_H = Path.of("/usr/include/rdma/fabric.h");

    /** One value to compare: a key printed by the C probe, the C expression, and the Java value. */
    private record Item(String key, String cExpr, long javaValue, boolean javaIsInt) {}

    @Test
    void layoutsAndConstantsMatchInstalledHeaders(@TempDir Path tmp) throws Exception {
        // A skip would hide a regression: CI installs both, so their absence is an error.
        String gcc = findOnPath("gcc");
        if (gcc == null || !Files.isRegularFile(FABRIC_H)) {
            fail("FfiLayoutTest needs gcc and the libfabric headers (" + FABRIC_H + "): "
                    + "install gcc and libfabric-dev (apt-get install gcc libfabric-dev)");
        }

        List<Item> items = new ArrayList<>();
        int members = collectStructItems(items);
        int constants = collectConstantItems(items);

        Map<String, Long> cValues = runProbe(gcc, tmp, HEADERS, items);

        List<String> mismatches = compare(items, cValues);
        // One assertion over the whole list, so every mismatch shows up in a single run.
        assertEquals("", String.join("\n", mismatches),
                mismatches.size() + " of " + items.size() + " binding values differ from the C headers");

        // Guard against a vacuous pass (e.g. an empty layout or a renamed constant family).
        assertTrue(members > 200, "only " + members + " struct members were checked");
        assertTrue(constants > 50, "only " + constants + " constants were checked");
    }

    /** The sigaction/dladdr binding the signal guard relies on, against glibc's headers. */
    @Test
    void posixSignalLayoutsAndNumbersMatchInstalledHeaders(@TempDir Path tmp) throws Exception {
        String gcc = findOnPath("gcc");
        if (gcc == null) {
            fail("FfiLayoutTest needs gcc (apt-get install gcc)");
        }
        List<Item> items = new ArrayList<>();
        int members = addStruct(items, "sigaction", "struct sigaction", PosixSignals.SIGACTION)
                + addStruct(items, "Dl_info", "Dl_info", PosixSignals.DL_INFO);
        int signals = 0;
        for (Field f : PosixSignals.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && f.getName().startsWith("SIG")) {
                items.add(new Item(f.getName(), "(long long)(" + f.getName() + ")", f.getInt(null), true));
                signals++;
            }
        }
        List<String> mismatches = compare(items, runProbe(gcc, tmp, LIBC_HEADERS, items));
        assertEquals("", String.join("\n", mismatches),
                mismatches.size() + " of " + items.size() + " libc binding values differ from the C headers");
        assertEquals(8, members);
        assertTrue(signals >= 11, "only " + signals + " signal numbers were checked");
    }

    private static List<String> compare(List<Item> items, Map<String, Long> cValues) {
        List<String> mismatches = new ArrayList<>();
        for (Item item : items) {
            Long c = cValues.get(item.key());
            if (c == null) {
                mismatches.add(item.key() + ": java=" + item.javaValue() + " c=<not printed by probe>");
            } else if (!matches(item, c)) {
                mismatches.add(item.key() + ": java=" + item.javaValue() + " c=" + c);
            }
        }
        return mismatches;
    }

    /** Adds offset and size of every named member and the size of every struct; returns the member count. */
    private static int collectStructItems(List<Item> items) throws ReflectiveOperationException {
        int members = 0;
        for (String name : STRUCT_CLASSES) {
            Class<?> cls = Class.forName(FfiLayoutTest.class.getPackageName() + "." + name);
            GroupLayout layout = (GroupLayout) cls.getMethod("layout").invoke(null);
            members += addStruct(items, name, "struct " + name, layout);
        }
        return members;
    }

    /** Adds offset and size of each named member of one struct and its size; returns the member count. */
    private static int addStruct(List<Item> items, String name, String struct, GroupLayout layout) {
        int members = 0;
        for (MemoryLayout member : layout.memberLayouts()) {
            if (member instanceof PaddingLayout || member.name().isEmpty()) {
                continue; // padding has no C counterpart; struct size and later offsets cover it
            }
            String javaName = member.name().get();
            String designator = cDesignator(javaName);
            long offset = layout.byteOffset(MemoryLayout.PathElement.groupElement(javaName));
            items.add(new Item(name + "." + designator + "@offset",
                    "offsetof(" + struct + ", " + designator + ")", offset, false));
            items.add(new Item(name + "." + designator + "@size",
                    "sizeof(((" + struct + " *)0)->" + designator + ")", member.byteSize(), false));
            members++;
        }
        items.add(new Item(name + "@sizeof", "sizeof(" + struct + ")", layout.byteSize(), false));
        return members;
    }

    /** The flattened embedded {@code struct fid fid} members map back to {@code fid.fclass} etc. */
    private static String cDesignator(String javaName) {
        return switch (javaName) {
            case "fid_fclass" -> "fid.fclass";
            case "fid_context" -> "fid.context";
            case "fid_ops" -> "fid.ops";
            default -> javaName;
        };
    }

    /** Adds every no-arg int/long FI_* method and the version fields of fabric_h; returns the count. */
    private static int collectConstantItems(List<Item> items) throws ReflectiveOperationException {
        int constants = 0;
        List<Method> methods = new ArrayList<>(List.of(fabric_h.class.getMethods()));
        methods.sort(Comparator.comparing(Method::getName)); // stable order for readable output
        for (Method m : methods) {
            Class<?> type = m.getReturnType();
            if (!Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("FI_")
                    || m.getParameterCount() != 0 || NOT_CONSTANTS.contains(m.getName())
                    || (type != int.class && type != long.class)) {
                continue;
            }
            long value = ((Number) m.invoke(null)).longValue();
            items.add(new Item(m.getName(), "(long long)(" + m.getName() + ")", value, type == int.class));
            constants++;
        }
        for (String fieldName : List.of("FI_MAJOR_VERSION", "FI_MINOR_VERSION")) {
            Field f = fabric_h.class.getField(fieldName);
            items.add(new Item(fieldName, "(long long)(" + fieldName + ")", f.getInt(null), true));
            constants++;
        }
        return constants;
    }

    /**
     * An int binding of an unsigned C constant (e.g. {@code 1U << 31}) is correct when the 32-bit
     * pattern agrees; anything wider than 32 bits cannot be an int and is a mismatch.
     */
    private static boolean matches(Item item, long c) {
        if (!item.javaIsInt()) {
            return c == item.javaValue();
        }
        boolean fitsIn32Bits = c >= Integer.MIN_VALUE && c <= 0xFFFF_FFFFL;
        return fitsIn32Bits && (int) c == (int) item.javaValue();
    }

    /** Writes, compiles and runs the C probe; returns key -> value as computed by gcc. */
    private static Map<String, Long> runProbe(String gcc, Path tmp, List<String> headers, List<Item> items)
            throws IOException, InterruptedException {
        StringBuilder src = new StringBuilder("#define _GNU_SOURCE\n");
        for (String header : headers) {
            src.append("#include <").append(header).append(">\n");
        }
        src.append("\nint main(void) {\n");
        for (Item item : items) {
            src.append("    printf(\"%s %lld\\n\", \"").append(item.key()).append("\", (long long)(")
                    .append(item.cExpr()).append("));\n");
        }
        src.append("    return 0;\n}\n");
        Path source = tmp.resolve("ffi_layout_probe.c");
        Path binary = tmp.resolve("ffi_layout_probe");
        Files.writeString(source, src, StandardCharsets.UTF_8);

        ProcResult compile = run(tmp, gcc, "-std=gnu11", "-o", binary.toString(), source.toString());
        if (compile.exitCode() != 0) {
            fail("gcc failed to compile the layout probe (a Java member or constant name probably has no C "
                    + "counterpart); probe source: " + source + "\n" + compile.output());
        }
        ProcResult probe = run(tmp, binary.toString());
        if (probe.exitCode() != 0) {
            fail("layout probe exited with " + probe.exitCode() + ":\n" + probe.output());
        }

        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : probe.output().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            values.put(parts[0], Long.parseLong(parts[1]));
        }
        return values;
    }

    private record ProcResult(int exitCode, String output) {}

    /** Runs a process with stderr merged into stdout, so gcc diagnostics end up in the failure message. */
    private static ProcResult run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new ProcResult(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static String findOnPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
