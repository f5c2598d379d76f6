package io.efashuffle.transfer.transport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files behind libfabric shm regions, {@code /dev/shm/<pid>:<n>:<m>}. libfabric unlinks them
 * from its own signal handlers, which the JVM's replace (fabric.SignalGuard), and nothing can on
 * SIGKILL. A left-over region holds its RAM (tmpfs) and, once the pid is reused, makes the new
 * process's shm endpoint fail to open (created with O_EXCL). So: this process's regions are
 * unlinked when the JVM begins to exit, before slower shutdown work that a supervisor may cut
 * short with SIGKILL, and regions of this user's processes that no longer exist are removed
 * before an endpoint opens. A peer that mapped a region keeps its mapping after the unlink.
 */
final class ShmRegionFiles {
    private static final System.Logger LOG = System.getLogger(ShmRegionFiles.class.getName());
    private static final Pattern NAME = Pattern.compile("(\\d+):\\d+:\\d+");
    private static final Path DIR = Path.of("/dev/shm");
    private static final AtomicBoolean EXIT_HOOK = new AtomicBoolean();

    private ShmRegionFiles() {}

    /** Before opening shm endpoints: the dead's regions go now, this process's at its exit. */
    static void prepare() {
        sweep(DIR);
        if (EXIT_HOOK.compareAndSet(false, true)) {
            long pid = ProcessHandle.current().pid();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> unlinkOwn(DIR, pid)));
        }
    }

    /** Unlinks the regions of process {@code pid}; @return how many */
    static int unlinkOwn(Path dir, long pid) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, pid + ":*")) {
            for (Path f : files) {
                if (NAME.matcher(f.getFileName().toString()).matches() && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // exiting anyway: the next process's sweep removes what is left
        }
        return removed;
    }

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
