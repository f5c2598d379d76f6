package io.efashuffle.transfer.transport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes shm regions whose process is gone. libfabric's shm provider names each endpoint's
 * region {@code /dev/shm/<pid>:<n>:<m>} and unlinks it from its own signal handlers, which the
 * JVM's replace (fabric.SignalGuard), and nothing can on SIGKILL. A stale region holds its RAM
 * (tmpfs) and, once the pid is reused, makes the new process's shm endpoint fail to open
 * (created with O_EXCL). Only this user's files of processes that no longer exist are removed:
 * a peer that mapped a region keeps its mapping after the unlink.
 */
final class StaleShmRegions {
    private static final System.Logger LOG = System.getLogger(StaleShmRegions.class.getName());
    private static final Pattern NAME = Pattern.compile("(\\d+):\\d+:\\d+");

    private StaleShmRegions() {}

    /** @return how many regions were removed from {@code dir} */
    static int sweep(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            UserPrincipal me = null;
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (!m.matches() || processExists(m.group(1))) {
                    continue;
                }
                me = me != null ? me : Files.getOwner(Path.of("/proc/self"));
                if (Files.isRegularFile(f) && me.equals(Files.getOwner(f)) && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not sweep stale shm regions in " + dir, e);
        }
        if (removed > 0) {
            LOG.log(System.Logger.Level.INFO, "removed " + removed + " shm region(s) of processes that no longer exist from " + dir);
        }
        return removed;
    }

    private static boolean processExists(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).isPresent();
        } catch (NumberFormatException e) {
            return true; // not a pid we understand: leave it
        }
    }
}
