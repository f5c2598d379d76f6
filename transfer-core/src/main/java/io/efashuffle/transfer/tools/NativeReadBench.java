package io.efashuffle.transfer.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * The native C yardstick ({@code shared/bench/fi_read_bw.c}): compiled with gcc on first use,
 * run on the same provider, block size and operations in flight as the Java bench.
 */
public final class NativeReadBench {
    private static final java.util.regex.Pattern RESULT = java.util.regex.Pattern.compile("GB/s=([0-9.]+)");
    private final Path binary;

    private NativeReadBench(Path binary) {
        this.binary = binary;
    }

    /** Compiles {@code source} into {@code workDir} unless an up-to-date binary is there. */
    public static NativeReadBench compile(Path source, Path workDir) throws IOException, InterruptedException {
        if (!Files.isRegularFile(source)) {
            throw new IOException("native bench source not found at " + source + " (pass --native-source)");
        }
        Files.createDirectories(workDir);
        Path bin = workDir.resolve("fi_read_bw");
        if (!Files.exists(bin) || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Process p = new ProcessBuilder("gcc", "-O2", "-o", bin.toString(), source.toString(), "-lfabric")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("gcc failed (needs gcc and libfabric-dev):\n" + out);
            }
        }
        return new NativeReadBench(bin);
    }

    /** Runs one measurement; returns GB/s (10^9 bytes per second). */
    public double run(String provider, long blockBytes, int window, long totalMiB) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), provider, Long.toString(blockBytes),
                Integer.toString(window), Long.toString(totalMiB))).redirectErrorStream(true);
        pb.environment().put("IPATH_NO_BACKTRACE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("native bench failed: " + out.trim());
        }
        Matcher m = RESULT.matcher(out);
        if (!m.find()) {
            throw new IOException("native bench printed no result: " + out.trim());
        }
        return Double.parseDouble(m.group(1));
    }
}
