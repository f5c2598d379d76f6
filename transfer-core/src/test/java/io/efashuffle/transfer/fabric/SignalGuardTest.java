package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.PosixSignals;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard in this JVM, with a stand-in for a provider: an action that changes SIGHUP (whose
 * handler is the JVM's shutdown trigger, so a brief change is harmless here).
 */
class SignalGuardTest {
    private static final long SIG_IGN = 1;

    @Test
    void aHandlerInstalledDuringACallIsPutBackExactly() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment jvm = baseline(arena);
            int before = SignalGuard.reclaimed().size();

            String result = SignalGuard.call("test-install", () -> {
                MemorySegment other = otherThan(jvm, arena);
                PosixSignals.install(PosixSignals.SIGHUP, other);
                assertEquals(PosixSignals.handler(other), PosixSignals.handler(PosixSignals.current(PosixSignals.SIGHUP, arena)));
                return "done";
            });

            assertEquals("done", result);
            assertTrue(PosixSignals.sameAction(jvm, PosixSignals.current(PosixSignals.SIGHUP, arena)));
            var reclaimed = SignalGuard.reclaimed().subList(before, SignalGuard.reclaimed().size());
            assertEquals(1, reclaimed.size(), reclaimed::toString);
            assertEquals("SIGHUP", reclaimed.getFirst().signal());
            assertEquals("test-install", reclaimed.getFirst().call());
        }
    }

    @Test
    void aChangedMaskAloneCountsAsAChange() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment jvm = baseline(arena);
            int before = SignalGuard.reclaimed().size();
            SignalGuard.run("test-mask", () -> {
                MemorySegment sameHandlerOtherMask = copy(jvm, arena);
                long maskOffset = PosixSignals.SIGACTION.byteOffset(
                        java.lang.foreign.MemoryLayout.PathElement.groupElement("sa_mask"));
                // bit (SIGUSR1 - 1) of the first mask word
                sameHandlerOtherMask.set(ValueLayout.JAVA_LONG, maskOffset,
                        sameHandlerOtherMask.get(ValueLayout.JAVA_LONG, maskOffset) ^ (1L << 9));
                PosixSignals.install(PosixSignals.SIGHUP, sameHandlerOtherMask);
            });
            assertTrue(PosixSignals.sameAction(jvm, PosixSignals.current(PosixSignals.SIGHUP, arena)));
            assertEquals(before + 1, SignalGuard.reclaimed().size());
        }
    }

    @Test
    void aCallThatChangesNothingReclaimsNothingAndFailuresStillRestore() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment jvm = baseline(arena);
            int before = SignalGuard.reclaimed().size();
            SignalGuard.run("test-nothing", () -> { });
            assertEquals(before, SignalGuard.reclaimed().size());

            assertThrows(FabricException.class, () -> SignalGuard.run("test-throws", () -> {
                PosixSignals.install(PosixSignals.SIGHUP, otherThan(jvm, arena));
                throw new FabricException("provider failed after installing", 5);
            }));
            assertTrue(PosixSignals.sameAction(jvm, PosixSignals.current(PosixSignals.SIGHUP, arena)));
            assertEquals(before + 1, SignalGuard.reclaimed().size());
        }
    }

    @Test
    void theJvmsOwnHandlersAreFoundInLibjvm() {
        try (Arena arena = Arena.ofConfined()) {
            // SIGSEGV's handler at this point is HotSpot's, so dladdr must name libjvm (or libjsig).
            long handler = PosixSignals.handler(PosixSignals.current(PosixSignals.SIGSEGV, arena));
            String library = PosixSignals.libraryOf(handler);
            assertNotNull(library);
            assertTrue(library.endsWith("libjvm.so") || library.endsWith("libjsig.so"), library);
            assertFalse(PosixSignals.libraryOf(SIG_IGN) != null);
        }
    }

    /**
     * SIGHUP's action now. Under nohup the JVM inherits SIGHUP ignored, with flags as execve left
     * them, which no sigaction call reproduces (libc adds its restorer flag): such an action is
     * installed once as it is, so that what the test compares reads as any installed action.
     */
    private static MemorySegment baseline(Arena arena) {
        MemorySegment now = PosixSignals.current(PosixSignals.SIGHUP, arena);
        if (PosixSignals.handler(now) == SIG_IGN) {
            PosixSignals.install(PosixSignals.SIGHUP, now);
            now = PosixSignals.current(PosixSignals.SIGHUP, arena);
        }
        return now;
    }

    /**
     * An action that differs from {@code current}: ignore SIGHUP, or, where it is ignored already
     * (a JVM started under nohup inherits that and installs no handler of its own), the default.
     */
    private static MemorySegment otherThan(MemorySegment current, Arena arena) {
        MemorySegment action = arena.allocate(PosixSignals.SIGACTION).fill((byte) 0);
        long handler = PosixSignals.handler(current) == SIG_IGN ? 0 : SIG_IGN;
        action.set(ValueLayout.ADDRESS, 0, MemorySegment.ofAddress(handler));
        return action;
    }

    private static MemorySegment copy(MemorySegment action, Arena arena) {
        return arena.allocate(PosixSignals.SIGACTION).copyFrom(action);
    }
}
