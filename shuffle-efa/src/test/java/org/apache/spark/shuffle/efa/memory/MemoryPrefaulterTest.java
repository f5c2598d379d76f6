package org.apache.spark.shuffle.efa.memory;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Residency as the kernel reports it, page by page with mincore(2). Not from /proc/self/smaps: the
 * kernel merges adjacent anonymous mappings with the same flags into one VMA, so a mapping's start
 * need not head an smaps entry and its Rss line can include a neighbour's pages.
 */
class MemoryPrefaulterTest {
    private static final long MIB = 1 << 20;
    private static final long PAGE = 4096;
    private static final MethodHandle MINCORE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("mincore"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

    private static long residentBytes(NativeMapping m) {
        long size = m.memory().byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pages = arena.allocate((size + PAGE - 1) / PAGE);
            int rc = (int) MINCORE.invokeExact(m.memory(), size, pages);
            if (rc != 0) {
                throw new AssertionError("mincore failed");
            }
            long resident = 0;
            for (long i = 0; i < pages.byteSize(); i++) {
                resident += pages.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return resident * PAGE;
        } catch (Throwable t) {
            throw t instanceof AssertionError a ? a : new AssertionError(t);
        }
    }

    private static boolean eventually(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    @Test
    void theBudgetIsPopulatedAheadOfUseNotUpFront() throws Exception {
        try (NativeMapping receive = new NativeMapping(8 * MIB); NativeMapping shuffle = new NativeMapping(1024 * MIB)) {
            try (MemoryPrefaulter p = new MemoryPrefaulter(receive, shuffle)) {
                assertTrue(eventually(() -> residentBytes(receive) >= 8 * MIB), "receive pool not populated");
                assertTrue(eventually(() -> residentBytes(shuffle) >= MemoryPrefaulter.AHEAD), "window not populated");
                Thread.sleep(300);
                long fresh = residentBytes(shuffle);
                assertTrue(fresh < 400 * MIB, "a fresh executor populated " + (fresh >> 20) + " MiB of a 1 GiB budget");
                p.advance(600 * MIB);
                assertTrue(eventually(() -> residentBytes(shuffle) >= 850 * MIB), "the window did not follow the high-water mark: "
                        + (residentBytes(shuffle) >> 20) + " MiB");
            }
        }
    }
}
