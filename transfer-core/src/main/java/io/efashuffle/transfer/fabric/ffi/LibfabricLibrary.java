package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads libfabric and resolves its few real exports with pinned symbol versions.
 *
 * <p>This is the one hand-written class of the bindings package: jextract's header class would
 * use {@code SymbolLookup.libraryLookup}, which takes a symbol's default version. libfabric
 * versions its ABI ({@code fi_getinfo@FABRIC_1.3} and older/newer variants with other struct
 * layouts), so the layouts in this package are only right for the versions pinned here.
 *
 * <p>Before the library is loaded, {@code IPATH_NO_BACKTRACE=1} is put into the process
 * environment through libc {@code setenv}: Debian's libfabric pulls in libinfinipath, which then
 * does not install its load-time SIGSEGV handler at all ({@code fabric.SignalGuard}, around the
 * load, would put the JVM's back otherwise); and {@code FI_HMEM=system} unless set.
 */
public final class LibfabricLibrary {

    /** System property naming an explicit libfabric shared object (e.g. under /opt/amazon/efa). */
    public static final String PATH_PROPERTY = "efa.libfabric.path";
    /** Environment variable with the same meaning as {@link #PATH_PROPERTY}. */
    public static final String PATH_ENV = "EFA_SHUFFLE_LIBFABRIC";

    // Symbol -> ABI version. fi_getinfo/fi_freeinfo/fi_dupinfo carry struct fi_info, whose layout
    // this package encodes; FABRIC_1.3 is exported by every libfabric since 1.9 (1.x and 2.x).
    private static final Map<String, String> PINNED = Map.of(
            "fi_getinfo", "FABRIC_1.3",
            "fi_freeinfo", "FABRIC_1.3",
            "fi_dupinfo", "FABRIC_1.3",
            "fi_fabric", "FABRIC_1.1",
            "fi_version", "FABRIC_1.0",
            "fi_strerror", "FABRIC_1.0",
            "fi_tostr", "FABRIC_1.0");

    private static final List<String> DEFAULT_CANDIDATES = List.of(
            "libfabric.so.1",
            // The AWS EFA installer puts its libfabric here and not always on the loader path.
            "/opt/amazon/efa/lib64/libfabric.so.1",
            "/opt/amazon/efa/lib/libfabric.so.1");

    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;

    private static volatile State state;

    private LibfabricLibrary() {}

    /** Where the library was loaded from and its handle. */
    public record Loaded(String path, MemorySegment handle) {}

    private record State(Loaded loaded, LibfabricUnavailableException failure) {}

    /**
     * Loads libfabric once per process.
     *
     * @throws LibfabricUnavailableException with what to install, when it cannot be loaded
     */
    public static Loaded load() {
        State s = state;
        if (s == null) {
            synchronized (LibfabricLibrary.class) {
                s = state;
                if (s == null) {
                    s = state = tryLoad();
                }
            }
        }
        if (s.failure != null) {
            // A fresh exception per caller, so each stack trace says where it was needed.
            throw new LibfabricUnavailableException(s.failure.getMessage(), s.failure);
        }
        return s.loaded;
    }

    /** Whether libfabric can be loaded in this process (loads it if not yet loaded). */
    public static boolean isAvailable() {
        try {
            load();
            return true;
        } catch (LibfabricUnavailableException e) {
            return false;
        }
    }

    static Optional<MemorySegment> find(String name) {
        Loaded loaded = load();
        String version = PINNED.get(name);
        MemorySegment addr = Libc.INSTANCE.dlvsym(loaded.handle, name, version);
        if (addr.equals(MemorySegment.NULL)) {
            return Optional.empty();
        }
        return Optional.of(addr);
    }

    private static State tryLoad() {
        Libc libc;
        try {
            libc = Libc.INSTANCE;
        } catch (RuntimeException | LinkageError e) {
            return new State(null, new LibfabricUnavailableException(
                    "cannot reach libc's dynamic loader through the FFM API: " + e, e));
        }
        libc.setenv("IPATH_NO_BACKTRACE", "1");
        // libfabric initializes every device-memory interface it finds (CUDA, ROCr, Neuron...)
        // unless FI_HMEM names some (src/hmem.c, ofi_hmem_init). Shuffle memory is host memory:
        // "system" only, so executors on GPU instances open no GPU context. A user's value is kept.
        if (System.getenv("FI_HMEM") == null) {
            libc.setenv("FI_HMEM", "system");
        }
        List<String> candidates = new ArrayList<>();
        String explicit = System.getProperty(PATH_PROPERTY, System.getenv(PATH_ENV));
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(explicit);
        } else {
            candidates.addAll(DEFAULT_CANDIDATES);
        }
        List<String> errors = new ArrayList<>();
        for (String path : candidates) {
            MemorySegment handle = libc.dlopen(path, RTLD_NOW | RTLD_GLOBAL);
            if (handle.equals(MemorySegment.NULL)) {
                errors.add(libc.dlerror());
                continue;
            }
            for (String sym : List.of("fi_getinfo", "fi_freeinfo", "fi_dupinfo")) {
                if (libc.dlvsym(handle, sym, PINNED.get(sym)).equals(MemorySegment.NULL)) {
                    return new State(null, new LibfabricUnavailableException(path
                            + " does not export " + sym + "@" + PINNED.get(sym)
                            + ": libfabric is older than 1.9. Install libfabric >= 1.9"
                            + " (>= 1.18 for EFA device RDMA read).", null));
                }
            }
            return new State(new Loaded(path, handle), null);
        }
        return new State(null, new LibfabricUnavailableException(
                "libfabric is not installed or not loadable (" + String.join("; ", errors) + "). "
                        + "Install it: 'apt-get install libfabric1' on Debian/Ubuntu, "
                        + "'yum install libfabric' on Amazon Linux, or the AWS EFA installer on EFA "
                        + "instances; or point -D" + PATH_PROPERTY + "= / " + PATH_ENV
                        + " at libfabric.so.1.", null));
    }

    /** The libc entry points the loader needs; all are in glibc's libc.so.6 since 2.34. */
    private static final class Libc {
        static final Libc INSTANCE = new Libc();

        private final MethodHandle setenv;
        private final MethodHandle dlopen;
        private final MethodHandle dlerror;
        private final MethodHandle dlvsym;

        private Libc() {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            setenv = linker.downcallHandle(libc.findOrThrow("setenv"), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            dlopen = linker.downcallHandle(libc.findOrThrow("dlopen"), FunctionDescriptor.of(
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            dlerror = linker.downcallHandle(libc.findOrThrow("dlerror"), FunctionDescriptor.of(
                    ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_BYTE)));
            dlvsym = linker.downcallHandle(libc.findOrThrow("dlvsym"), FunctionDescriptor.of(
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        }

        void setenv(String name, String value) {
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1);
                if (rc != 0) {
                    throw new IllegalStateException("setenv(" + name + ") failed");
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }

        MemorySegment dlopen(String path, int flags) {
            try (Arena arena = Arena.ofConfined()) {
                return (MemorySegment) dlopen.invokeExact(arena.allocateFrom(path), flags);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }

        String dlerror() {
            try {
                MemorySegment msg = (MemorySegment) dlerror.invokeExact();
                return msg.equals(MemorySegment.NULL) ? "unknown dlopen error"
                        : msg.reinterpret(Long.MAX_VALUE).getString(0);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }

        MemorySegment dlvsym(MemorySegment handle, String name, String version) {
            try (Arena arena = Arena.ofConfined()) {
                return (MemorySegment) dlvsym.invokeExact(handle, arena.allocateFrom(name),
                        arena.allocateFrom(version));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
    }
}
