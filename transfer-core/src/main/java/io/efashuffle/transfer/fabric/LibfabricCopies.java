package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One libfabric per process. Two copies (say the EFA installer's under /opt/amazon/efa and a
 * distribution's pulled in by another library) each keep their own provider state for the same
 * device, so registrations, address vectors and the fork handling of one are unknown to the
 * other (Mooncake's EFA transport makes the same check). Read from the process's memory map.
 */
public final class LibfabricCopies {
    private static final Pattern LIBFABRIC = Pattern.compile("libfabric\\.so(\\.[0-9.]+)?");

    private LibfabricCopies() {}

    /** The distinct libfabric files mapped, from the lines of a {@code /proc/<pid>/maps}. */
    static Set<String> mapped(List<String> mapsLines) {
        Set<String> files = new TreeSet<>();
        for (String line : mapsLines) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String path = line.substring(slash).replace(" (deleted)", "");
            if (LIBFABRIC.matcher(Path.of(path).getFileName().toString()).matches()) {
                files.add(path);
            }
        }
        return files;
    }

    /** The libfabric files mapped in this process. */
    public static Set<String> inThisProcess() {
        try {
            return mapped(Files.readAllLines(Path.of("/proc/self/maps")));
        } catch (IOException e) {
            return Set.of(); // not Linux: nothing to tell
        }
    }

    /** What is wrong when more than one libfabric is mapped (naming them and what to do), else empty. */
    public static Optional<String> problem() {
        Set<String> files = inThisProcess();
        if (files.size() <= 1) {
            return Optional.empty();
        }
        return Optional.of("more than one libfabric is loaded in this process: " + String.join(", ", files)
                + ". Each keeps its own provider state for the same device; keep one (for EFA the installer's, "
                + "/opt/amazon/efa/lib64/libfabric.so.1, named by EFA_SHUFFLE_LIBFABRIC or efa.libfabric.path) "
                + "and remove the other from the loader path and from libraries that link it");
    }

    /** Throws {@link #problem} when there is one. */
    public static void requireOne() {
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            throw new FabricException(problem.get(), fabric_h.FI_EOTHER());
        }
    }
}
