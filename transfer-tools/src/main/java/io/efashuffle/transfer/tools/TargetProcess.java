package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.transport.RemoteAccess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TargetCommand} in a child JVM of the same classpath: what the bench, the validator
 * and the two-process tests read from and write to. Closing it says "exit" and waits; the child
 * also ends when this process dies, because its standard input closes.
 */
public final class TargetProcess implements AutoCloseable {
    private final Process process;
    private final long bufferBase;
    private final long privateBase;
    private final BlockingQueue<String> checks;

    private TargetProcess(Process process, long bufferBase, long privateBase, BlockingQueue<String> checks) {
        this.process = process;
        this.checks = checks;
        this.bufferBase = bufferBase;
        this.privateBase = privateBase;
    }

    /** A target whose buffer peers may read and write (the validator and WRITE benches). */
    public static TargetProcess start(FabricOptions fabric, String registryUrl, String name, long bytes, long seed)
            throws IOException {
        return start(fabric, registryUrl, name, bytes, seed, RemoteAccess.READ_WRITE, 0);
    }

    /**
     * @param access       what peers may do to the published buffer
     * @param privateBytes size of an extra unpublished, local-only buffer (0: none)
     */
    public static TargetProcess start(FabricOptions fabric, String registryUrl, String name, long bytes, long seed,
                                      RemoteAccess access, long privateBytes) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), TransferCli.class.getName(), "target",
                "--registry", registryUrl, "--name", name, "--bytes", Long.toString(bytes), "--seed", Long.toString(seed),
                "--remote-access", access.name(), "--private-bytes", Long.toString(privateBytes)));
        cmd.addAll(fabric.toArgs());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            line = null;
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("target process did not become ready (exit " + (p.isAlive() ? "none" : p.exitValue())
                    + "); see its stderr above");
        }
        BlockingQueue<String> checks = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    if (l.startsWith("CHECK ")) {
                        checks.add(l);
                    }
                }
            } catch (IOException ignored) {
                // child gone
            }
        });
        String[] bases = line.substring(6).trim().split(" ");
        return new TargetProcess(p, Long.parseLong(bases[0]), bases.length > 1 ? Long.parseLong(bases[1]) : 0, checks);
    }

    /** Address of the target's registered buffer in the target's address space. */
    public long bufferBase() {
        return bufferBase;
    }

    /** Address of the target's unpublished local-only buffer (0 when it has none). */
    public long privateBase() {
        return privateBase;
    }

    /**
     * Asks the target whether its buffers still hold their patterns.
     *
     * @return the first changed offset of the published and of the private buffer (-1: intact)
     */
    public long[] check() throws IOException, InterruptedException {
        OutputStream in = process.getOutputStream();
        in.write("check\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line = checks.poll(30, TimeUnit.SECONDS);
        if (line == null) {
            throw new IOException("target process did not answer 'check'");
        }
        String[] f = line.substring(6).trim().split(" ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as a supervisor stops a process: the JVM exits through its shutdown hooks. */
    public void terminate() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGKILL: the peer disappears without closing anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try (OutputStream in = process.getOutputStream()) {
                in.write("exit\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // already exiting
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
