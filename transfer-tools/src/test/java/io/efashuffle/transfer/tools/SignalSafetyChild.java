package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.engine.InMemoryMetadataRegistry;
import io.efashuffle.transfer.engine.TransferEngine;
import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.fabric.SignalGuard;
import io.efashuffle.transfer.transport.FabricTransport;
import io.efashuffle.transfer.transport.ProgressMode;
import io.efashuffle.transfer.transport.RemoteAccess;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM that {@link SignalSafetyTest} starts without libjsig. Mode {@code pressure}: opens a
 * transport, makes HotSpot raise its own signals (implicit null checks, safepoint polls under
 * GC) before and between fi_reads from a peer JVM, checks every byte. Mode {@code serve}: opens
 * a transport, closes it from a shutdown hook (as Spark's executor does), waits to be signalled.
 * Prints {@code RECLAIMED <signal> <call> <library>} for each handler the guard put back.
 */
public final class SignalSafetyChild {
    private static final long REMOTE_BYTES = 8L << 20;
    private static final long SEED = 11;

    /** A field to dereference through a null reference: each access is a JIT implicit null check. */
    static final class Box {
        int value;
    }

    public static void main(String[] args) throws Exception {
        String provider = args[0];
        String mode = args[1];
        FabricOptions fabric = new FabricOptions(provider, null, ProgressMode.AUTO);
        if (mode.equals("serve")) {
            serve(fabric);
        } else {
            pressure(fabric);
        }
    }

    private static void serve(FabricOptions fabric) throws Exception {
        TransferEngine engine = new TransferEngine("serve", new InMemoryMetadataRegistry());
        engine.installTransport(new FabricTransport(fabric.config()));
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        report();
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(2));
    }

    private static void pressure(FabricOptions fabric) throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             Arena arena = Arena.ofShared();
             TransferEngine engine = new TransferEngine("initiator", new HttpMetadataRegistry(server.url()))) {
            // shm installs its handlers inside the process's first fi_endpoint, and the guard puts
            // the JVM's back after it: open it while other threads make HotSpot raise its signals.
            Pressure pressure = Pressure.start();
            engine.installTransport(new FabricTransport(fabric.config()));
            pressure.stopAndReport();
            MemorySegment local = arena.allocate(REMOTE_BYTES, 4096);
            engine.registerLocalMemory(local, "cpu:0", RemoteAccess.NONE);
            report();
            // Before any peer has mapped this process's endpoint: an shm handler left in front
            // of the JVM's would unlink it here, and the peer below could not reach us.
            long npes = provokeJvmSignals(2);
            try (TargetProcess target = TargetProcess.start(fabric, server.url(), "target", REMOTE_BYTES, SEED)) {
                long id = engine.openSegment("target", Duration.ofSeconds(30));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                int rounds = 0;
                while (System.nanoTime() < deadline || rounds < 3) {
                    readAndCheck(engine, local, id, target.bufferBase(), rounds);
                    npes += provokeJvmSignals(1);
                    rounds++;
                }
                System.out.println("DONE rounds=" + rounds + " npes=" + npes);
            }
            engine.unregisterLocalMemory(local);
        }
    }

    /** What the guard put back, and this process's shm regions ({@code /dev/shm/<pid>:<uid>:<n>}). */
    private static void report() throws java.io.IOException {
        for (SignalGuard.Reclaim r : SignalGuard.reclaimed()) {
            System.out.println("RECLAIMED " + r.signal() + " " + r.call() + " " + r.library());
        }
        for (String file : SignalSafetyTest.shmFilesOf(ProcessHandle.current().pid())) {
            System.out.println("SHMFILE " + file);
        }
    }

    /** 64 reads of 128 KiB at offsets that move each round; every byte compared with the pattern. */
    private static void readAndCheck(TransferEngine engine, MemorySegment local, long id, long remoteBase, int round)
            throws Exception {
        List<TransferRequest> reads = new ArrayList<>();
        long size = 128 << 10;
        for (int i = 0; i < 64; i++) {
            long remoteOffset = (i * size + round * 4099L) % (REMOTE_BYTES - size);
            reads.add(TransferRequest.read(local.asSlice(i * size, size), id, remoteBase + remoteOffset));
        }
        engine.transferAsync(reads).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < reads.size(); i++) {
            long remoteOffset = reads.get(i).targetAddress() - remoteBase;
            long bad = DataPattern.firstMismatch(local.asSlice(i * size, size), SEED, remoteOffset);
            if (bad >= 0) {
                throw new AssertionError("round " + round + " read " + i + ": wrong byte at " + bad);
            }
        }
    }

    /** Null checks and GCs on two threads until stopped; reports how many happened meanwhile. */
    private static final class Pressure {
        private volatile boolean running = true;
        private final java.util.concurrent.atomic.AtomicLong npes = new java.util.concurrent.atomic.AtomicLong();
        private final long gcsBefore = gcs();
        private long gcsAtOpen;
        private long npesAtOpen;
        private final Thread gc = Thread.ofPlatform().start(() -> {
            while (running) {
                byte[][] garbage = new byte[256][];
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = new byte[4096];
                }
                System.gc();
                pause(); // GCs back to back would starve the open itself on 2 cores
            }
        });
        private final Thread nulls = Thread.ofPlatform().start(() -> {
            Box[] boxes = {new Box(), null};
            long sum = 0;
            for (int i = 0; running; i++) {
                try {
                    sum += boxes[i & 1].value;
                } catch (NullPointerException e) {
                    npes.incrementAndGet();
                }
                if ((i & 0xFFFFF) == 0) {
                    Thread.yield();
                }
            }
            if (sum == 42) {
                System.out.print(""); // keeps the loop's reads live
            }
        });

        private static void pause() {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static Pressure start() throws InterruptedException {
            Pressure p = new Pressure();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((gcs() == p.gcsBefore || p.npes.get() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(1); // both threads under way before the open
            }
            p.gcsAtOpen = gcs();
            p.npesAtOpen = p.npes.get();
            return p;
        }

        void stopAndReport() throws InterruptedException {
            long gcsNow = gcs();
            long npesNow = npes.get();
            running = false;
            gc.join();
            nulls.join();
            // Counted from the open's start: what ran while the provider's handlers could be in front.
            System.out.println("OPENED_UNDER_PRESSURE gcs=" + (gcsNow - gcsAtOpen) + " npes=" + (npesNow - npesAtOpen));
        }

        private static long gcs() {
            return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(b -> Math.max(0, b.getCollectionCount())).sum();
        }
    }

    /**
     * Caught NullPointerExceptions from a field read in a hot (JIT-compiled) loop, while another
     * thread churns allocations and calls System.gc(), so compiled code stops at safepoint polls.
     */
    private static long provokeJvmSignals(int gcs) throws InterruptedException {
        Thread churn = Thread.ofPlatform().start(() -> {
            for (int g = 0; g < gcs; g++) {
                List<byte[]> garbage = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    garbage.add(new byte[1024 + i % 4096]);
                    if (garbage.size() > 5_000) {
                        garbage.clear();
                    }
                }
                System.gc();
            }
        });
        long caught = 0;
        Box[] boxes = {new Box(), null};
        for (int i = 0; i < 150_000; i++) {
            try {
                caught -= boxes[i & 1].value;
            } catch (NullPointerException e) {
                caught++;
            }
        }
        churn.join();
        return caught;
    }
}
