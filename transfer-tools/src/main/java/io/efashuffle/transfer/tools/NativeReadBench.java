package io.efashuffle.transfer.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The native C yardstick for one-sided READ throughput: {@code fi_read_yardstick.c}, which ships
 * inside this jar (source in {@code transfer-tools/src/main/native}), compiled with gcc on first
 * use and run on the same provider, block size and operations in flight as the Java bench.
 * Binaries are cached in a work directory under a hash of their source, so an edited source is
 * rebuilt and concurrent runs never share a half-written file.
 */
public final class NativeReadBench {
    /** Class-path resource of the bundled source (packaged from src/main/native). */
    static final String BUNDLED_SOURCE = "fi_read_yardstick.c";
    /** The C program's own watchdog; the JVM waits a little longer before killing it. */
    static final int TIMEOUT_SECONDS = 600;
    private static final Pattern RESULT = Pattern.compile("GB/s=([0-9.]+)");

    private final Path binary;
    private final String compilerOutput;

    private NativeReadBench(Path binary, String compilerOutput) {
        this.binary = binary;
        this.compilerOutput = compilerOutput;
    }

    /** The default work directory: one per machine user, under java.io.tmpdir. */
    public static Path defaultWorkDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "efa-shuffle-native-" + System.getProperty("user.name"));
    }

    /** Compiles the yardstick bundled in this jar into {@code workDir} unless it is there already. */
    public static NativeReadBench bundled(Path workDir) throws IOException, InterruptedException {
        try (InputStream in = NativeReadBench.class.getResourceAsStream(BUNDLED_SOURCE)) {
            if (in == null) {
                throw new IOException(BUNDLED_SOURCE + " is missing from transfer-tools' jar (a broken build?)");
            }
            return compile(in.readAllBytes(), workDir);
        }
    }

    /** Compiles {@code source} (an override of the bundled yardstick, same command line) into {@code workDir}. */
    public static NativeReadBench compile(Path source, Path workDir) throws IOException, InterruptedException {
        if (!Files.isRegularFile(source)) {
            throw new IOException("native bench source not found at " + source);
        }
        return compile(Files.readAllBytes(source), workDir);
    }

    /** {@code source} when given, else the bundled yardstick. */
    public static NativeReadBench of(Path sourceOrNull, Path workDir) throws IOException, InterruptedException {
        return sourceOrNull != null ? compile(sourceOrNull, workDir) : bundled(workDir);
    }

    private static NativeReadBench compile(byte[] source, Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        String name = "fi_read_yardstick-" + sha256(source).substring(0, 16);
        Path bin = workDir.resolve(name);
        Path log = workDir.resolve(name + ".gcc.txt");
        if (Files.isExecutable(bin) && Files.isRegularFile(log)) {
            return new NativeReadBench(bin, Files.readString(log));
        }
        // Everything is built under unique names and renamed into place, so two JVMs compiling at
        // once each end with a complete binary.
        Path src = Files.createTempFile(workDir, name, ".c");
        Path tmpBin = Files.createTempFile(workDir, name, ".bin");
        try {
            Files.write(src, source);
            Process p = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-o", tmpBin.toString(), src.toString(),
                    "-lfabric").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("gcc failed (needs gcc and libfabric-dev):\n" + out);
            }
            Path tmpLog = Files.createTempFile(workDir, name, ".txt");
            Files.writeString(tmpLog, out);
            Files.move(tmpBin, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpLog, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new NativeReadBench(bin, out);
        } finally {
            Files.deleteIfExists(src);
            Files.deleteIfExists(tmpBin);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** What gcc printed when this binary was built (warnings); empty for a clean build. */
    public String compilerOutput() {
        return compilerOutput;
    }

    public Path binary() {
        return binary;
    }

    /** Runs one measurement; returns GB/s (10^9 bytes per second). */
    public double run(String provider, long blockBytes, int window, long totalMiB) throws IOException, InterruptedException {
        Path out = Files.createTempFile(binary.getParent(), "run", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), provider, Long.toString(blockBytes),
                    Integer.toString(window), Long.toString(totalMiB), Integer.toString(TIMEOUT_SECONDS)))
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            // Debian's psm/psm2 providers print a backtrace handler notice on load without this.
            pb.environment().put("IPATH_NO_BACKTRACE", "1");
            Process p = pb.start();
            boolean exited = p.waitFor(TIMEOUT_SECONDS + 30, TimeUnit.SECONDS);
            if (!exited) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String text = Files.readString(out).trim();
            if (!exited || p.exitValue() != 0) {
                throw new IOException("native bench (" + provider + ") failed: " + (exited ? text : "timed out\n" + text));
            }
            Matcher m = RESULT.matcher(text);
            if (!m.find()) {
                throw new IOException("native bench printed no result: " + text);
            }
            return Double.parseDouble(m.group(1));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
