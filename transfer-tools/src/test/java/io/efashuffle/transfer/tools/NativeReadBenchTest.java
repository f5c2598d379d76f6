package io.efashuffle.transfer.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The yardstick bundled in transfer-tools' jar: built from the class path with gcc and run for real. */
class NativeReadBenchTest {
    @TempDir
    Path work;

    @Test
    void bundledSourceCompilesWithoutWarningsAndIsBuiltOnce() throws Exception {
        NativeReadBench first = NativeReadBench.bundled(work);
        assertEquals("", first.compilerOutput().trim(), "gcc -Wall -Wextra warned");
        assertTrue(Files.isExecutable(first.binary()));
        long built = Files.getLastModifiedTime(first.binary()).toMillis();

        NativeReadBench again = NativeReadBench.bundled(work);
        assertEquals(first.binary(), again.binary());
        assertEquals(built, Files.getLastModifiedTime(again.binary()).toMillis(), "the cached binary was rebuilt");
        try (var files = Files.list(work)) {
            assertEquals(2, files.count(), "expected only the binary and its gcc log in " + work);
        }
    }

    @ParameterizedTest(name = "provider {0}")
    @ValueSource(strings = {"tcp", "shm"})
    void measuresReadsOn(String provider) throws Exception {
        double gbps = NativeReadBench.bundled(work).run(provider, 64 << 10, 8, 32);
        assertTrue(gbps > 0, provider + ": " + gbps + " GB/s");
    }

    @Test
    void unknownProviderFailsWithTheReason() throws Exception {
        NativeReadBench bench = NativeReadBench.bundled(work);
        IOException e = assertThrows(IOException.class, () -> bench.run("no-such-provider", 4096, 1, 1));
        assertTrue(e.getMessage().contains("offers no RDM endpoint"), e.getMessage());
    }

    @Test
    void anOverrideSourceIsBuiltUnderItsOwnHash() throws Exception {
        Path source = work.resolve("edited.c");
        try (var in = NativeReadBench.class.getResourceAsStream(NativeReadBench.BUNDLED_SOURCE)) {
            Files.write(source, in.readAllBytes());
        }
        Files.writeString(source, "\n/* edited */\n", java.nio.file.StandardOpenOption.APPEND);
        Path built = work.resolve("built");
        assertNotEquals(NativeReadBench.bundled(built).binary(), NativeReadBench.compile(source, built).binary());
        IOException missing = assertThrows(IOException.class,
                () -> NativeReadBench.compile(work.resolve("absent.c"), built));
        assertTrue(missing.getMessage().contains("absent.c"), missing.getMessage());
    }
}
