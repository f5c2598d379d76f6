package io.efashuffle.transfer.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TargetCommand} in a child JVM of the same classpath: what the bench, the validator
 * and the two-process tests read from and write to. Closing it says "exit" and waits; the child
 * also ends when this process dies, because its standard input closes.
 */
public final class TargetProcess implements AutoCloseable {
    private final Process process;
    private final long bufferBase;

    private TargetProcess(Process process, long bufferBase) {
        this.process = process;
        this.bufferBase = bufferBase;
    }

    public static TargetProcess start(FabricOptions fabric, String registryUrl, String name, long bytes, long seed)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), TransferCli.class.getName(), "target",
                "--registry", registryUrl, "--name", name, "--bytes", Long.toString(bytes), "--seed", Long.toString(seed)));
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
        Thread.ofVirtual().start(() -> {
            try {
                out.transferTo(Writer.nullWriter());
            } catch (IOException ignored) {
                // child gone
            }
        });
        return new TargetProcess(p, Long.parseLong(line.substring(6).trim()));
    }

    /** Address of the target's registered buffer in the target's address space. */
    public long bufferBase() {
        return bufferBase;
    }

    public long pid() {
        return process.pid();
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
