package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.LibfabricUnavailableException;
import io.efashuffle.transfer.fabric.ffi.PosixSignals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps the JVM's own signal handlers in front of libfabric's.
 *
 * <p>HotSpot raises SIGSEGV on purpose (safepoint polls, implicit null checks) and relies on its
 * handlers for the other signals below. libfabric's shm provider installs process-wide
 * handlers for SIGSEGV, SIGBUS, SIGTERM and SIGINT when its first endpoint opens (also inside
 * efa's {@code fi_endpoint}, which opens an shm endpoint for same-host peers); they unlink the
 * provider's /dev/shm regions, then chain. Left in place, the JVM's next null check unlinks the
 * regions of a live endpoint and peers that map them later fail. Debian's libinfinipath
 * installs one on SIGSEGV when libfabric loads. {@code LD_PRELOAD=libjsig.so} would avoid this
 * but must not be needed.
 *
 * <p>So each libfabric call that can install handlers runs through {@link #call}: the actions of
 * the signals HotSpot uses are read before it and compared after it, and any that changed is put
 * back exactly (handler, flags, mask). The provider's handler is in front only for the rest of
 * that call, the process's first shm {@code fi_endpoint}, and is harmless there: a signal HotSpot
 * raises meanwhile in another thread (a safepoint poll, an implicit null check) reaches shm's
 * handler, which unlinks the names on its region list, puts the JVM's action back and calls it
 * with the same siginfo and context, as libjsig's chaining does; and that list is still empty,
 * since regions are created at {@code fi_enable} (efa's too: it opens its shm endpoint in its
 * fi_endpoint and enables it in its fi_enable), after this guard has put the JVM's handlers back.
 * SignalSafetyTest opens shm under GCs and null checks. What is given up is shm's cleanup on a
 * fatal signal: SIGTERM and SIGINT run
 * the JVM's shutdown hooks, which close the fabric and so unlink the regions; a JVM crash or
 * SIGKILL leaves them (it did with SIGKILL before too).
 *
 * <p>Calls are serialized: a change between another call's two reads must not be missed.
 */
public final class SignalGuard {
    /** HotSpot's signals on Linux (signals_posix.cpp; SIGUSR2 is its suspend/resume signal). */
    static final int[] JVM_SIGNALS = {
            PosixSignals.SIGSEGV, PosixSignals.SIGBUS, PosixSignals.SIGFPE, PosixSignals.SIGILL,
            PosixSignals.SIGPIPE, PosixSignals.SIGXFSZ, PosixSignals.SIGUSR2, PosixSignals.SIGQUIT,
            PosixSignals.SIGHUP, PosixSignals.SIGINT, PosixSignals.SIGTERM};

    /** One handler a libfabric call installed and this guard replaced with the JVM's. */
    public record Reclaim(String signal, String call, String library) {
        @Override
        public String toString() {
            return signal + " (" + (library == null ? "unknown library" : library) + ", during " + call + ")";
        }
    }

    private static final System.Logger LOG = System.getLogger(SignalGuard.class.getName());
    private static final Object LOCK = new Object();
    private static final List<Reclaim> RECLAIMED = new ArrayList<>();
    private static final Set<String> LOGGED = new HashSet<>();

    private SignalGuard() {}

    /**
     * Refuses libfabric where the JVM's handlers cannot be kept (the sigaction layout is only
     * known for Linux x86_64/aarch64).
     */
    static void checkSupported() {
        if (!PosixSignals.supported()) {
            throw new LibfabricUnavailableException("libfabric is not used on " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + ": its providers install signal handlers that "
                    + "would replace the JVM's, and restoring them is only implemented for Linux on x86_64 "
                    + "and aarch64", null);
        }
    }

    /** Runs a libfabric call and puts back any JVM signal handler it replaced. */
    static <T> T call(String name, Supplier<T> libfabricCall) {
        synchronized (LOCK) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] before = new MemorySegment[JVM_SIGNALS.length];
                for (int i = 0; i < JVM_SIGNALS.length; i++) {
                    before[i] = PosixSignals.current(JVM_SIGNALS[i], arena);
                }
                try {
                    return libfabricCall.get();
                } finally {
                    restoreChanged(name, before, arena);
                }
            }
        }
    }

    static void run(String name, Runnable libfabricCall) {
        call(name, () -> {
            libfabricCall.run();
            return null;
        });
    }

    /** Every handler reclaimed so far in this process, oldest first. */
    public static List<Reclaim> reclaimed() {
        synchronized (LOCK) {
            return List.copyOf(RECLAIMED);
        }
    }

    private static void restoreChanged(String name, MemorySegment[] before, Arena arena) {
        List<Reclaim> now = new ArrayList<>();
        for (int i = 0; i < JVM_SIGNALS.length; i++) {
            MemorySegment after = PosixSignals.current(JVM_SIGNALS[i], arena);
            if (!PosixSignals.sameAction(before[i], after)) {
                PosixSignals.install(JVM_SIGNALS[i], before[i]);
                now.add(new Reclaim(PosixSignals.name(JVM_SIGNALS[i]), name,
                        PosixSignals.libraryOf(PosixSignals.handler(after))));
            }
        }
        if (now.isEmpty()) {
            return;
        }
        RECLAIMED.addAll(now);
        List<Reclaim> fresh = now.stream().filter(r -> LOGGED.add(r.signal() + " " + r.library())).toList();
        if (!fresh.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "libfabric replaced the JVM's signal handlers; put the JVM's back: "
                    + String.join(", ", fresh.stream().map(Objects::toString).toList()));
        }
    }
}
