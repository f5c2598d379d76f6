package io.efashuffle.transfer.fabric;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** libfabric is loaded with FI_HMEM=system: it initializes no GPU interface in this process. */
class HostMemoryOnlyTest {
    @Test
    void libfabricSeesOnlyHostMemoryUnlessTheUserSaidOtherwise() throws Throwable {
        assumeTrue(System.getenv("FI_HMEM") == null, "the user's FI_HMEM is kept as given");
        Fi.load();
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().findOrThrow("getenv"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment v = (MemorySegment) getenv.invokeExact(arena.allocateFrom("FI_HMEM"));
            assertEquals("system", v.reinterpret(64).getString(0));
        }
    }
}
