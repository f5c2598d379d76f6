package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Map;

/**
 * Hand-written binding of libc's {@code sigaction} and {@code dladdr} (glibc on Linux x86_64 and
 * aarch64, where {@code struct sigaction} and the signal numbers below agree). FfiLayoutTest
 * checks the layouts and numbers against the installed headers with gcc.
 */
public final class PosixSignals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGTERM = 15;
    public static final int SIGXFSZ = 25;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(SIGHUP, "SIGHUP"), Map.entry(SIGINT, "SIGINT"), Map.entry(SIGQUIT, "SIGQUIT"),
            Map.entry(SIGILL, "SIGILL"), Map.entry(SIGBUS, "SIGBUS"), Map.entry(SIGFPE, "SIGFPE"),
            Map.entry(SIGSEGV, "SIGSEGV"), Map.entry(SIGUSR2, "SIGUSR2"), Map.entry(SIGPIPE, "SIGPIPE"),
            Map.entry(SIGTERM, "SIGTERM"), Map.entry(SIGXFSZ, "SIGXFSZ"));

    /** {@code struct sigaction} of glibc: the handler union, a 1024-bit sigset_t, flags, restorer. */
    public static final GroupLayout SIGACTION = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("sa_handler"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_LONG).withName("sa_mask"),
            ValueLayout.JAVA_INT.withName("sa_flags"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("sa_restorer")).withName("sigaction");

    /** {@code Dl_info} of glibc's dladdr. */
    public static final GroupLayout DL_INFO = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("dli_fname"),
            ValueLayout.ADDRESS.withName("dli_fbase"),
            ValueLayout.ADDRESS.withName("dli_sname"),
            ValueLayout.ADDRESS.withName("dli_saddr")).withName("Dl_info");

    private static final long HANDLER = SIGACTION.byteOffset(MemoryLayout.PathElement.groupElement("sa_handler"));
    private static final long MASK = SIGACTION.byteOffset(MemoryLayout.PathElement.groupElement("sa_mask"));
    /**
     * The part of sa_mask the kernel keeps (64 signals on x86_64 and aarch64); glibc copies the
     * rest of its 1024-bit sigset_t from uninitialized stack, so only this part is compared.
     */
    private static final long KERNEL_MASK_BYTES = 8;
    private static final long FLAGS = SIGACTION.byteOffset(MemoryLayout.PathElement.groupElement("sa_flags"));
    private static final long FNAME = DL_INFO.byteOffset(MemoryLayout.PathElement.groupElement("dli_fname"));

    private PosixSignals() {}

    /** Whether these layouts are right for this process: glibc-style Linux on x86_64 or aarch64. */
    public static boolean supported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.equals("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    public static String name(int signal) {
        return NAMES.getOrDefault(signal, "signal " + signal);
    }

    /** The signal's current action. */
    public static MemorySegment current(int signal, Arena arena) {
        MemorySegment out = arena.allocate(SIGACTION).fill((byte) 0);
        check(Libc.call(Libc.INSTANCE.sigaction, signal, MemorySegment.NULL, out), "read", signal);
        return out;
    }

    /** Installs {@code action} (a struct read by {@link #current}) as the signal's action. */
    public static void install(int signal, MemorySegment action) {
        check(Libc.call(Libc.INSTANCE.sigaction, signal, action, MemorySegment.NULL), "restore", signal);
    }

    /** Same handler, flags and mask: what the kernel delivers with. */
    public static boolean sameAction(MemorySegment a, MemorySegment b) {
        return handler(a) == handler(b)
                && a.get(ValueLayout.JAVA_INT, FLAGS) == b.get(ValueLayout.JAVA_INT, FLAGS)
                && a.asSlice(MASK, KERNEL_MASK_BYTES).mismatch(b.asSlice(MASK, KERNEL_MASK_BYTES)) == -1;
    }

    /** The handler's address (0 = SIG_DFL, 1 = SIG_IGN). */
    public static long handler(MemorySegment action) {
        return action.get(ValueLayout.ADDRESS, HANDLER).address();
    }

    /** The shared object that contains {@code address} (dladdr), or null when none does. */
    public static String libraryOf(long address) {
        if (address <= 1) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(DL_INFO).fill((byte) 0);
            int rc = (int) Libc.INSTANCE.dladdr.invokeExact(MemorySegment.ofAddress(address), info);
            MemorySegment name = info.get(ValueLayout.ADDRESS, FNAME);
            return rc == 0 || name.equals(MemorySegment.NULL) ? null : name.reinterpret(4096).getString(0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void check(int rc, String what, int signal) {
        if (rc != 0) {
            throw new IllegalStateException("sigaction could not " + what + " the action of " + name(signal));
        }
    }

    private static final class Libc {
        static final Libc INSTANCE = new Libc();

        final MethodHandle sigaction;
        final MethodHandle dladdr;

        private Libc() {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            sigaction = linker.downcallHandle(libc.findOrThrow("sigaction"), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            dladdr = linker.downcallHandle(libc.findOrThrow("dladdr"), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        }

        static int call(MethodHandle h, int signal, MemorySegment act, MemorySegment old) {
            try {
                return (int) h.invokeExact(signal, act, old);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
    }
}
