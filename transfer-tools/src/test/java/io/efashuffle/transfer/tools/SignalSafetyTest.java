package io.efashuffle.transfer.tools;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JVMs started the way a user starts an executor: no libjsig in LD_PRELOAD, no
 * IPATH_NO_BACKTRACE. They must survive HotSpot's own signals while a provider is open, because
 * the transport's signal guard put back what the provider installed; and the shm regions must
 * be gone after a normal close and after SIGTERM.
 */
class SignalSafetyTest {
    private static final Path DEV_SHM = Path.of("/dev/shm");

    @Test
    void shmSurvivesNullChecksAndGcWhileReadingFromAPeer() throws Exception {
        Child child = Child.start("shm", "pressure");
        List<String> out = child.finish(180);
        assertEquals(0, child.exitCode(), () -> "child failed:\n" + String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("DONE ")), () -> String.join("\n", out));
        // The endpoint opened (shm's handlers in front for that call) while GCs and null checks ran.
        assertTrue(out.stream().anyMatch(l -> l.matches("OPENED_UNDER_PRESSURE gcs=[1-9][0-9]* npes=[1-9][0-9]*")),
                () -> "no GC or null check during the open:\n" + String.join("\n", out));
        // Not vacuous: shm really put its handlers in front of the JVM's during fi_endpoint, and the
        // guard took them back. SIGSEGV is put back either by the guard, or by shm's own handler
        // when one of HotSpot's signals landed in that call: it restores the JVM's action and
        // chains to it, and the process above lived on and read from its peer.
        assertTrue(out.stream().anyMatch(l -> l.matches("RECLAIMED SIGBUS fi_endpoint .*libfabric.*")),
                () -> "shm's handlers were not reclaimed:\n" + String.join("\n", out));
        System.out.println("SignalSafetyTest: a JVM signal " + (out.stream().anyMatch(
                l -> l.matches("RECLAIMED SIGSEGV fi_endpoint .*")) ? "did not land" : "landed")
                + " in shm's fi_endpoint and was chained to the JVM's handler");
        List<String> regions = lines(out, "SHMFILE ");
        assertFalse(regions.isEmpty(), "the child had no shm region to lose");
        assertEquals(List.of(), shmFilesOf(child.pid()), "regions left after a normal close");
    }

    @Test
    void tcpSurvivesNullChecksAndGcWhileReadingFromAPeer() throws Exception {
        Child child = Child.start("tcp", "pressure");
        List<String> out = child.finish(180);
        assertEquals(0, child.exitCode(), () -> "child failed:\n" + String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("DONE ")), () -> String.join("\n", out));
    }

    /** The JVM's SIGTERM handling (shutdown hooks close the fabric) does shm's cleanup. */
    @Test
    void shmRegionsAreRemovedOnSigterm() throws Exception {
        Child child = Child.start("shm", "serve");
        List<String> regions = lines(child.awaitLine("READY", 60), "SHMFILE ");
        assertFalse(regions.isEmpty(), "the child had no shm region");
        for (String r : regions) {
            assertTrue(Files.exists(DEV_SHM.resolve(r)), r);
        }
        child.process.destroy(); // SIGTERM
        List<String> out = child.finish(60);
        assertEquals(143, child.exitCode(), () -> String.join("\n", out)); // 128 + SIGTERM: the JVM's exit
        assertEquals(List.of(), shmFilesOf(child.pid()), "regions left after SIGTERM");
    }

    /** libfabric shm's region files of one process: {@code /dev/shm/<pid>:<uid>:<index>}. */
    static List<String> shmFilesOf(long pid) throws IOException {
        try (Stream<Path> files = Files.list(DEV_SHM)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(pid + ":")).sorted().toList();
        }
    }

    private static List<String> lines(List<String> out, String prefix) {
        return out.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    /** A {@link SignalSafetyChild} in the user's environment; its stdout is collected line by line. */
    private record Child(Process process, List<String> out, CompletableFuture<Void> reader) {
        static Child start(String provider, String mode) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), SignalSafetyChild.class.getName(), provider, mode)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            // The launcher sets both for Maven; the user's executors have neither.
            pb.environment().remove("LD_PRELOAD");
            pb.environment().remove("IPATH_NO_BACKTRACE");
            Process p = pb.start();
            List<String> out = new ArrayList<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try (var r = p.inputReader(StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (out) {
                            out.add(line);
                            out.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // child gone
                }
            });
            return new Child(p, out, reader);
        }

        List<String> awaitLine(String line, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (out) {
                while (!out.contains(line)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || !process.isAlive() && reader.isDone()) {
                        process.destroyForcibly();
                        throw new AssertionError("child never printed " + line + ":\n" + String.join("\n", out));
                    }
                    out.wait(Math.min(left, 500));
                }
                return List.copyOf(out);
            }
        }

        List<String> finish(int seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.get(10, TimeUnit.SECONDS);
            synchronized (out) {
                return List.copyOf(out);
            }
        }

        long pid() {
            return process.pid();
        }

        int exitCode() {
            return process.exitValue();
        }
    }
}
